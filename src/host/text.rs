//! JSON text in and out, for hosts that hand records over as text (Node's `JSON.stringify` is
//! far faster than walking an object property by property through the engine's C API) and
//! whose numbers are all floats.
//!
//! A JavaScript number is an IEEE double, so a host like that must never let one stand where
//! the core keeps an exact decimal. The core itself says where that is: it writes decimals and
//! money as strings and plain numbers (counts, points, weights) as numbers. [`from_text`] reads
//! the record, writes it back, and refuses every number of the input that came back as text
//! (`validation.money.format` at its path), so `{"amount": 1234.5}` and `{"max": 500000}` are
//! refused while `{"min_bedrooms": 2}` reads as usual.

use super::{HostError, from_ref, to_value};
use crate::{ErrorCode, FieldError, ValidationErrors};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Reads a `T` from JSON text: a malformed text or a wrong shape is an `input.json` error at
/// the failing path, and a number where the core keeps a decimal (money, rates, shares) is a
/// `validation.money.format` error at its path (every such number is listed).
///
/// ```
/// use realestate_crm::Money;
/// use realestate_crm::host::text::from_text;
/// assert!(from_text::<Money>(r#"{"amount": "10.50", "currency": "BRL"}"#).is_ok());
/// let err = from_text::<Money>(r#"{"amount": 10}"#).unwrap_err();
/// assert_eq!((err.code.as_str(), err.path.as_deref()), ("validation.money.format", Some("amount")));
/// ```
pub fn from_text<T: DeserializeOwned + Serialize>(text: &str) -> Result<T, HostError> {
    // Fast path: text without a number outside its strings reads straight into `T`; anything
    // else (numbers to compare, or an error to locate) goes through a JSON value.
    if !text_has_number(text) {
        if let Ok(v) = serde_json::from_str::<T>(text) {
            return Ok(v);
        }
    }
    from_json(&parse(text)?)
}

/// The items of a JSON array as slices of its text, without parsing them (each is read later,
/// on its own, maybe on another thread): a batch of records is never one big JSON tree. Text
/// that is not an array is an `input.json` error; a malformed item is found when it is read.
///
/// ```
/// use realestate_crm::host::text::array_items;
/// assert_eq!(array_items(r#" [ {"a": [1, "]"]}, null ,"x,y"] "#).unwrap(), vec![r#"{"a": [1, "]"]}"#, "null", r#""x,y""#]);
/// assert!(array_items("[]").unwrap().is_empty());
/// assert_eq!(array_items("{}").unwrap_err().code, "input.json");
/// ```
pub fn array_items(text: &str) -> Result<Vec<&str>, HostError> {
    let bad = |why: &str| HostError::input("", format!("expected a JSON array: {why}"));
    let body = text
        .trim()
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .ok_or_else(|| bad("the text does not start with [ and end with ]"))?;
    let mut items = Vec::new();
    if body.trim().is_empty() {
        return Ok(items);
    }
    let (mut depth, mut in_string, mut escaped, mut start) = (0usize, false, false, 0usize);
    for (i, b) in body.bytes().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| bad("unbalanced brackets"))?
            }
            b',' if depth == 0 => {
                items.push(body.get(start..i).unwrap_or_default().trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    if in_string || depth != 0 {
        return Err(bad("an unclosed string or bracket"));
    }
    items.push(body.get(start..).unwrap_or_default().trim());
    if items.iter().any(|i| i.is_empty()) {
        return Err(bad("an empty item"));
    }
    Ok(items)
}

/// Whether JSON text holds a number outside its strings (a digit or a minus sign there).
fn text_has_number(text: &str) -> bool {
    let mut in_string = false;
    let mut escaped = false;
    for b in text.bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        } else if b.is_ascii_digit() || b == b'-' {
            return true;
        }
    }
    false
}

/// JSON text as a value; malformed text is an `input.json` error.
pub fn parse(text: &str) -> Result<Value, HostError> {
    serde_json::from_str(text).map_err(|e| {
        HostError::input(
            "",
            format!("the text is not JSON: {}", clip(&e.to_string())),
        )
    })
}

/// [`from_text`] on a JSON value already parsed.
pub fn from_json<T: DeserializeOwned + Serialize>(value: &Value) -> Result<T, HostError> {
    let record: T = from_ref(value)?;
    if has_number(value) {
        check_numbers(value, &to_value(&record)?)?;
    }
    Ok(record)
}

/// Compares a host's input with the core's written form of what it read (see the module
/// docs): every number of `input` written back as something else than a number is a
/// `validation.money.format` error at its path.
pub fn check_numbers(input: &Value, written: &Value) -> Result<(), HostError> {
    if !has_number(input) {
        return Ok(());
    }
    let mut errors = ValidationErrors::default();
    numbers_kept(input, written, &mut String::new(), &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.into())
    }
}

/// Writes a result as JSON text (decimals as strings, dates and instants as ISO 8601).
pub fn to_text<T: Serialize>(value: &T) -> Result<String, HostError> {
    serde_json::to_string(value).map_err(|e| {
        HostError::new(
            ErrorCode::Panic,
            format!("a result could not be written as JSON: {e}"),
        )
    })
}

/// [`check_numbers`] for a request of a pricing calculator named as in
/// [`super::ops::pricing`]: the request is read as its typed form and compared (an unknown
/// calculator or a shape problem is left for `ops::pricing` to report).
pub fn check_pricing_request(calculator: &str, request: &Value) -> Result<(), HostError> {
    use crate::pricing::{
        AffordabilityRequest, ClosingCostRequest, Comparable, FinancingTerms, RatioPair,
        RentAdjustmentRequest,
    };
    fn numbers<T: DeserializeOwned + Serialize>(v: &Value) -> Result<(), HostError> {
        match from_ref::<T>(v) {
            Ok(t) => check_numbers(v, &to_value(&t)?),
            Err(_) => Ok(()),
        }
    }
    if !has_number(request) {
        return Ok(());
    }
    match calculator {
        "financing" => numbers::<FinancingTerms>(request),
        "affordability" => numbers::<AffordabilityRequest>(request),
        "rent_adjustment" => numbers::<RentAdjustmentRequest>(request),
        "closing_costs" => numbers::<ClosingCostRequest>(request),
        "ratio_study" => numbers::<Vec<RatioPair>>(request),
        "price_per_m2" => numbers::<Vec<Comparable>>(request),
        _ => Ok(()),
    }
}

fn clip(s: &str) -> String {
    match s.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", s.get(..i).unwrap_or_default()),
        None => s.to_owned(),
    }
}

fn has_number(v: &Value) -> bool {
    match v {
        Value::Number(_) => true,
        Value::Array(items) => items.iter().any(has_number),
        Value::Object(map) => map.values().any(has_number),
        _ => false,
    }
}

fn numbers_kept(input: &Value, written: &Value, path: &mut String, errors: &mut ValidationErrors) {
    match (input, written) {
        (Value::Number(_), Value::Number(_)) => {}
        (Value::Number(n), _) => errors.push(
            FieldError::new(
                ErrorCode::MoneyFormat,
                format!(
                    "the number {n} stands where an exact decimal is expected: write it as a string (\"{n}\") {}",
                    crate::money::FLOAT_REFUSED
                ),
            )
            .at(path),
        ),
        (Value::Array(items), Value::Array(out)) => {
            for (i, (a, b)) in items.iter().zip(out).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                numbers_kept(a, b, path, errors);
                path.truncate(len);
            }
        }
        (Value::Object(map), Value::Object(out)) => {
            for (key, a) in map {
                if let Some(b) = out.get(key) {
                    let len = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                    numbers_kept(a, b, path, errors);
                    path.truncate(len);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lead;

    fn lead(budget: &str) -> String {
        format!(
            r#"{{"id": "0190f3a0-0000-7000-8000-000000000001", "contact": {{"name": "Ana"}},
            "source": {{"type": "website"}}, "interest": "buy", "min_bedrooms": 2,
            "budget": {budget}, "created_at": "2026-05-04T12:00:00Z",
            "updated_at": "2026-05-04T12:00:00Z"}}"#
        )
    }

    #[test]
    fn numbers_stay_out_of_decimals_only() {
        let ok = from_text::<Lead>(&lead(r#"{"max": {"amount": "500000.00"}}"#));
        assert!(ok.is_ok(), "{ok:?}");
        let err = from_text::<Lead>(&lead(r#"{"min": 1000, "max": {"amount": 2500}}"#)).err();
        let err = err.map(|e| (e.code, e.errors.len(), e.path));
        assert_eq!(
            err,
            Some((
                "validation.money.format".to_owned(),
                2,
                Some("budget.max.amount".to_owned())
            ))
        );
    }

    #[test]
    fn numbers_are_found_outside_strings_only() {
        assert!(!text_has_number(
            r#"{"a": "12", "b": ["x\"1", "y\\", true, null]}"#
        ));
        assert!(text_has_number(r#"{"a": "12", "b": 1}"#));
        assert!(text_has_number(r#"[-0.5]"#));
        assert!(text_has_number(r#"{"a": "\"", "b": 2}"#));
    }

    #[test]
    fn bad_text_is_an_input_error() {
        let e = from_text::<Lead>("{").err().map(|e| e.code);
        assert_eq!(e.as_deref(), Some("input.json"));
        let e = from_text::<Lead>(r#"{"id": 5}"#).err().and_then(|e| e.path);
        assert_eq!(e.as_deref(), Some("id"));
    }
}
