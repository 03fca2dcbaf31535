//! Typed field comparisons over records, shared by automation rules and decision tables.
//!
//! A record is looked at as JSON (its serde form), and a field is a dotted path into it
//! (`stage`, `contact.email`, `budget.max.amount`, `participants[0].role`). Comparisons are
//! typed by the values themselves: numbers and decimal strings compare as exact decimals,
//! RFC 3339 instants and `YYYY-MM-DD` dates compare in time, everything else as text.
//!
//! ```
//! use crm_core::workflow::{Condition, lookup};
//! use serde_json::json;
//! let lead = json!({"stage": "new", "budget": {"max": {"amount": "650000.00", "currency": "BRL"}}});
//! let c: Condition = serde_json::from_value(json!({"all": [
//!     {"field": "stage", "op": "in", "values": ["new", "contacted"]},
//!     {"field": "budget.max.amount", "op": "gte", "value": "500000"}
//! ]})).unwrap();
//! assert!(c.holds(&lead));
//! assert_eq!(lookup(&lead, "budget.max.currency"), Some(&json!("BRL")));
//! ```

use crate::error::{ErrorCode, FieldError, ValidationErrors};
use chrono::{DateTime, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::cmp::Ordering;
use std::str::FromStr;

/// The value at a dotted path (`a.b[2].c`), `None` when any step is missing.
pub fn lookup<'a>(record: &'a Value, path: &str) -> Option<&'a Value> {
    let mut current = record;
    for part in path.split('.') {
        let (name, indexes) = match part.find('[') {
            Some(i) => (part.get(..i).unwrap_or(part), part.get(i..).unwrap_or("")),
            None => (part, ""),
        };
        if !name.is_empty() {
            current = current.get(name)?;
        }
        for index in indexes.split('[').filter(|s| !s.is_empty()) {
            let i: usize = index.strip_suffix(']')?.parse().ok()?;
            current = current.get(i)?;
        }
    }
    Some(current)
}

/// A comparison of one field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Test {
    /// Equal (typed).
    Eq {
        /// The value.
        value: Value,
    },
    /// Not equal (typed); a missing field is not equal to anything.
    Ne {
        /// The value.
        value: Value,
    },
    /// Below.
    Lt {
        /// The bound.
        value: Value,
    },
    /// At or below.
    Lte {
        /// The bound.
        value: Value,
    },
    /// Above.
    Gt {
        /// The bound.
        value: Value,
    },
    /// At or above.
    Gte {
        /// The bound.
        value: Value,
    },
    /// Within `min..=max`.
    Between {
        /// Lower bound, inclusive.
        min: Value,
        /// Upper bound, inclusive.
        max: Value,
    },
    /// Equal to one of `values`.
    In {
        /// The values.
        values: Vec<Value>,
    },
    /// Equal to none of `values` (true for a missing field).
    NotIn {
        /// The values.
        values: Vec<Value>,
    },
    /// Text containing `value`, ignoring case; a list containing an equal element.
    Contains {
        /// What to look for.
        value: Value,
    },
    /// Missing, null, blank text, or an empty list or object.
    Empty,
    /// Anything but empty.
    NotEmpty,
}

/// A condition tree: all, any, not, or a test of one field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Condition {
    /// Every condition holds (true when empty).
    All {
        /// The conditions.
        all: Vec<Condition>,
    },
    /// At least one holds (false when empty).
    Any {
        /// The conditions.
        any: Vec<Condition>,
    },
    /// The condition does not hold.
    Not {
        /// The condition.
        not: Box<Condition>,
    },
    /// A test of one field.
    Field(FieldTest),
}

/// A test of the field at `field`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldTest {
    /// The dotted path of the field.
    pub field: String,
    /// The comparison.
    #[serde(flatten)]
    pub test: Test,
}

impl Condition {
    /// Whether the condition holds for `record` (its JSON form).
    pub fn holds(&self, record: &Value) -> bool {
        self.holds_depth(record, 0)
    }

    fn holds_depth(&self, record: &Value, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        match self {
            Condition::All { all } => all.iter().all(|c| c.holds_depth(record, depth + 1)),
            Condition::Any { any } => any.iter().any(|c| c.holds_depth(record, depth + 1)),
            Condition::Not { not } => !not.holds_depth(record, depth + 1),
            Condition::Field(t) => t.test.holds(lookup(record, &t.field)),
        }
    }

    /// Every problem with the condition, paths relative to it: blank fields, `between` with
    /// `min` above `max`, empty `in` lists, nesting deeper than 32.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        self.check(&mut errors, "", 0);
        errors.into_result()
    }

    fn check(&self, errors: &mut ValidationErrors, path: &str, depth: usize) {
        if depth > MAX_DEPTH {
            errors.push(
                FieldError::new(
                    ErrorCode::WorkflowCondition,
                    "conditions nest too deeply (32 levels)",
                )
                .at(path),
            );
            return;
        }
        let join = |p: &str, child: &str| {
            if p.is_empty() {
                child.to_owned()
            } else {
                format!("{p}.{child}")
            }
        };
        match self {
            Condition::All { all } => {
                for (i, c) in all.iter().enumerate() {
                    c.check(errors, &join(path, &format!("all[{i}]")), depth + 1);
                }
            }
            Condition::Any { any } => {
                for (i, c) in any.iter().enumerate() {
                    c.check(errors, &join(path, &format!("any[{i}]")), depth + 1);
                }
            }
            Condition::Not { not } => not.check(errors, &join(path, "not"), depth + 1),
            Condition::Field(t) => {
                if t.field.trim().is_empty() {
                    errors.push(
                        FieldError::new(ErrorCode::Required, "name the field to test")
                            .at(&join(path, "field")),
                    );
                }
                if let Some(message) = t.test.problem() {
                    errors.push(
                        FieldError::new(ErrorCode::WorkflowCondition, message)
                            .at(&join(path, "op")),
                    );
                }
            }
        }
    }
}

const MAX_DEPTH: usize = 32;

impl Test {
    /// Whether the test holds for the field's value (`None`: the field is missing).
    pub fn holds(&self, value: Option<&Value>) -> bool {
        let ord = |bound: &Value| value.and_then(|v| compare(v, bound));
        match self {
            Test::Eq { value: b } => ord(b) == Some(Ordering::Equal),
            Test::Ne { value: b } => value.is_some_and(|_| ord(b) != Some(Ordering::Equal)),
            Test::Lt { value: b } => ord(b) == Some(Ordering::Less),
            Test::Lte { value: b } => matches!(ord(b), Some(Ordering::Less | Ordering::Equal)),
            Test::Gt { value: b } => ord(b) == Some(Ordering::Greater),
            Test::Gte { value: b } => matches!(ord(b), Some(Ordering::Greater | Ordering::Equal)),
            Test::Between { min, max } => {
                matches!(ord(min), Some(Ordering::Greater | Ordering::Equal))
                    && matches!(ord(max), Some(Ordering::Less | Ordering::Equal))
            }
            Test::In { values } => values.iter().any(|b| ord(b) == Some(Ordering::Equal)),
            Test::NotIn { values } => !values.iter().any(|b| ord(b) == Some(Ordering::Equal)),
            Test::Contains { value: needle } => match value {
                Some(Value::String(s)) => needle.as_str().is_some_and(|n| contains_folded(s, n)),
                Some(Value::Array(items)) => items
                    .iter()
                    .any(|i| compare(i, needle) == Some(Ordering::Equal)),
                _ => false,
            },
            Test::Empty => value.is_none_or(is_empty),
            Test::NotEmpty => value.is_some_and(|v| !is_empty(v)),
        }
    }

    /// What is wrong with the test's own values, if anything.
    fn problem(&self) -> Option<&'static str> {
        match self {
            Test::Between { min, max } if compare(min, max) == Some(Ordering::Greater) => {
                Some("`min` is above `max`, so nothing can be between them")
            }
            Test::Between { min, max } if compare(min, max).is_none() => {
                Some("`min` and `max` are not comparable")
            }
            Test::In { values } | Test::NotIn { values } if values.is_empty() => {
                Some("give at least one value")
            }
            _ => None,
        }
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

fn contains_folded(haystack: &str, needle: &str) -> bool {
    let fold = |s: &str| {
        s.chars()
            .flat_map(char::to_lowercase)
            .map(crate::scoring::base_letter)
            .collect::<String>()
    };
    fold(haystack).contains(&fold(needle))
}

/// A typed comparison: numbers (JSON numbers or decimal strings) as exact decimals, instants
/// and dates in time, booleans, then text; `None` when the two are not comparable.
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    if let (Some(x), Some(y)) = (as_decimal(a), as_decimal(b)) {
        return Some(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (as_instant(a), as_instant(b)) {
        return Some(x.cmp(&y));
    }
    match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        (Value::String(x), Value::String(y)) => Some(x.as_str().cmp(y.as_str())),
        (Value::Null, Value::Null) => Some(Ordering::Equal),
        _ => None,
    }
}

fn as_decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .map(Decimal::from)
            .or_else(|| Decimal::from_str(&n.to_string()).ok()),
        // Only text that could be a number is parsed (text cells are compared often).
        Value::String(s)
            if s.trim_start()
                .starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+') =>
        {
            crate::money::parse_decimal(s).ok()
        }
        _ => None,
    }
}

/// Instants and dates on one time line: a date is its midnight UTC.
fn as_instant(v: &Value) -> Option<i64> {
    let s = v.as_str()?;
    // `YYYY-MM-DD…` only: anything else is not a date, without asking a parser.
    let b = s.as_bytes();
    if b.len() < 10 || !b.iter().take(4).all(u8::is_ascii_digit) || b.get(4) != Some(&b'-') {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp_micros());
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    Some(d.and_hms_opt(0, 0, 0)?.and_utc().timestamp_micros())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn t(j: Value) -> Condition {
        serde_json::from_value(j).unwrap()
    }

    #[test]
    fn typed_comparisons() {
        let r = json!({"n": 10, "d": "10.50", "at": "2026-11-26T09:00:00Z", "day": "2026-11-26", "tags": ["vip", "zap"], "s": "Moema", "blank": " "});
        assert!(t(json!({"field": "d", "op": "gt", "value": 10})).holds(&r));
        assert!(t(json!({"field": "n", "op": "eq", "value": "10.00"})).holds(&r));
        assert!(t(json!({"field": "at", "op": "lt", "value": "2026-11-27"})).holds(&r));
        assert!(
            t(json!({"field": "at", "op": "gte", "value": "2026-11-26T06:00:00-03:00"})).holds(&r)
        );
        assert!(t(json!({"field": "tags", "op": "contains", "value": "vip"})).holds(&r));
        assert!(t(json!({"field": "s", "op": "contains", "value": "moe"})).holds(&r));
        assert!(t(json!({"field": "blank", "op": "empty"})).holds(&r));
        assert!(t(json!({"field": "missing", "op": "empty"})).holds(&r));
        assert!(!t(json!({"field": "missing", "op": "ne", "value": 1})).holds(&r));
        assert!(t(json!({"field": "missing", "op": "not_in", "values": [1]})).holds(&r));
        assert!(t(json!({"field": "n", "op": "between", "min": 10, "max": "10"})).holds(&r));
        assert!(
            !t(json!({"field": "s", "op": "gt", "value": 5})).holds(&r),
            "text and number do not compare"
        );
        assert!(t(json!({"not": {"any": [{"field": "n", "op": "lt", "value": 0}]}})).holds(&r));
        assert!(t(json!({"all": []})).holds(&r));
        assert!(!t(json!({"any": []})).holds(&r));
    }

    #[test]
    fn paths_reach_into_lists() {
        let r = json!({"participants": [{"role": "agency"}, {"role": "selling_broker"}]});
        assert_eq!(
            lookup(&r, "participants[1].role"),
            Some(&json!("selling_broker"))
        );
        assert_eq!(lookup(&r, "participants[5].role"), None);
        assert_eq!(lookup(&r, "participants[x].role"), None);
    }

    #[test]
    fn validation_names_the_problem() {
        let c = t(
            json!({"all": [{"field": "", "op": "empty"}, {"field": "n", "op": "between", "min": 5, "max": 1}, {"field": "s", "op": "in", "values": []}]}),
        );
        let errs: Vec<(String, ErrorCode)> = c
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|e| (e.path, e.code))
            .collect();
        assert_eq!(
            errs,
            [
                ("all[0].field".to_owned(), ErrorCode::Required),
                ("all[1].op".to_owned(), ErrorCode::WorkflowCondition),
                ("all[2].op".to_owned(), ErrorCode::WorkflowCondition),
            ]
        );
    }
}
