//! Decision tables: inputs, outputs and rows of conditions, with the DMN hit policies (unique,
//! first, priority, any, rule order, collect with sum/min/max/count) and a static check that
//! reports gaps and overlaps before a table is used.
//!
//! A table is data (JSON, the same in every host). Each row's `when` holds one cell per input:
//! a [`Test`] (the same typed comparisons as automation conditions: numbers and decimal strings
//! as exact decimals, dates and instants in time, else text) or `"-"` (any value). Its `then`
//! holds one JSON value per output (numbers as decimal strings).
//!
//! ```
//! use crm_core::workflow::DecisionTable;
//! use serde_json::json;
//! let table = DecisionTable::from_json(r#"{
//!   "id": "commission_plan_by_deal", "hit_policy": "unique",
//!   "inputs": [{"name": "kind", "field": "kind", "values": ["sale", "lease"]},
//!              {"name": "value", "field": "value.amount", "type": "number"}],
//!   "outputs": [{"name": "plan"}],
//!   "rows": [
//!     {"when": [{"op": "eq", "value": "sale"}, {"op": "lt", "value": "1000000"}], "then": ["standard"]},
//!     {"when": [{"op": "eq", "value": "sale"}, {"op": "gte", "value": "1000000"}], "then": ["premium"]},
//!     {"when": [{"op": "eq", "value": "lease"}, "-"], "then": ["lease"]}
//!   ]}"#).unwrap();
//! let deal = json!({"kind": "sale", "value": {"amount": "1250000.00", "currency": "BRL"}});
//! let decision = table.evaluate(&deal).unwrap();
//! assert_eq!(decision.outputs[0]["plan"], json!("premium"));
//! assert_eq!(decision.matched_rows, [1]);
//! assert!(table.check().is_clean());
//! ```

mod check;
mod eval;

pub use check::{Gap, GapCell, NotAnalysed, Overlap, TableReport};
pub use eval::Decision;

use super::condition::{Condition, FieldTest, Test, compare};
use crate::error::{Error, ErrorCode, FieldError, ValidationErrors};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::cmp::Ordering;
use std::collections::HashSet;

/// A decision table.
///
/// ```
/// use crm_core::workflow::{DecisionTable, HitPolicy};
/// let t: DecisionTable = serde_json::from_str(r#"{"id": "t", "hit_policy": "first",
///   "inputs": [{"name": "n", "field": "n"}], "outputs": [{"name": "o"}],
///   "rows": [{"when": ["-"], "then": ["x"]}]}"#).unwrap();
/// assert_eq!(t.hit_policy, HitPolicy::First);
/// assert!(t.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionTable {
    /// The table's id (`commission_plan_by_deal`).
    pub id: String,
    /// How matching rows make the result.
    pub hit_policy: HitPolicy,
    /// For `collect` only: combine the single output of the matching rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregation: Option<Aggregation>,
    /// The inputs, one column of cells each.
    pub inputs: Vec<Input>,
    /// The outputs, one value per row each.
    pub outputs: Vec<Output>,
    /// The rows, in order.
    pub rows: Vec<Row>,
}

/// How the matching rows of a table make its result (DMN hit policies).
///
/// ```
/// use crm_core::workflow::HitPolicy;
/// let p: HitPolicy = serde_json::from_str("\"rule_order\"").unwrap();
/// assert_eq!(p, HitPolicy::RuleOrder);
/// assert!(HitPolicy::Unique.needs_match() && !p.needs_match());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HitPolicy {
    /// Exactly one row may match; several is an error (`workflow.decision.not_unique`).
    Unique,
    /// The first matching row, in table order.
    First,
    /// The matching row whose outputs rank highest in the outputs' `priority` lists.
    Priority,
    /// Several rows may match if their outputs are equal; differing is an error
    /// (`workflow.decision.conflict`).
    Any,
    /// Every matching row, in table order.
    RuleOrder,
    /// Every matching row (in table order), optionally aggregated.
    Collect,
}

impl HitPolicy {
    /// Whether no match is an error (`workflow.decision.no_match`): true for the single-hit
    /// policies (unique, first, priority, any); rule order and collect give an empty result.
    ///
    /// ```
    /// use crm_core::workflow::HitPolicy;
    /// assert!(HitPolicy::Any.needs_match());
    /// assert!(!HitPolicy::Collect.needs_match());
    /// ```
    pub fn needs_match(self) -> bool {
        matches!(
            self,
            HitPolicy::Unique | HitPolicy::First | HitPolicy::Priority | HitPolicy::Any
        )
    }
}

/// How `collect` combines its single output (DMN C+, C<, C>, C#).
///
/// ```
/// use crm_core::workflow::Aggregation;
/// let a: Aggregation = serde_json::from_str("\"sum\"").unwrap();
/// assert_eq!(a, Aggregation::Sum);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// The exact decimal sum (`"0"` when no row matches).
    Sum,
    /// The smallest value (`null` when no row matches).
    Min,
    /// The largest value (`null` when no row matches).
    Max,
    /// How many rows matched.
    Count,
}

/// The declared type of an input: what its values must be, and how the check sees its domain.
///
/// ```
/// use crm_core::workflow::decision::InputType;
/// let t: InputType = serde_json::from_str("\"date\"").unwrap();
/// assert_eq!(t, InputType::Date);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputType {
    /// JSON strings.
    Text,
    /// JSON numbers or decimal strings (`"1250000.00"`).
    Number,
    /// `YYYY-MM-DD` dates or RFC 3339 instants, on one time line.
    Date,
    /// `true` or `false`.
    Bool,
}

/// One input column.
///
/// ```
/// use crm_core::workflow::decision::Input;
/// let i: Input = serde_json::from_str(r#"{"name": "value", "field": "value.amount", "type": "number"}"#).unwrap();
/// assert_eq!(i.field, "value.amount");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    /// The input's name (the key in a map of input values).
    pub name: String,
    /// The dotted path of the record field it reads (see [`lookup`](super::lookup)).
    pub field: String,
    /// The declared type, if any: a present value of another type is an error at evaluation,
    /// and the check analyses the column in that domain.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<InputType>,
    /// The allowed values, if listed (DMN input values): any other present value is an error at
    /// evaluation, and the check's domain is exactly this list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<Value>>,
}

/// One output column.
///
/// ```
/// use crm_core::workflow::decision::Output;
/// let o: Output = serde_json::from_str(r#"{"name": "plan", "priority": ["premium", "standard"]}"#).unwrap();
/// assert_eq!(o.priority.unwrap().len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Output {
    /// The output's name (the key in each result map).
    pub name: String,
    /// For the priority policy: this output's values, highest priority first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Vec<Value>>,
}

/// One row: a cell per input, a value per output.
///
/// ```
/// use crm_core::workflow::decision::{Cell, Row};
/// let r: Row = serde_json::from_str(r#"{"when": ["-", {"op": "gte", "value": "10"}], "then": ["a"]}"#).unwrap();
/// assert_eq!(r.when[0], Cell::Any);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    /// One cell per input.
    pub when: Vec<Cell>,
    /// One value per output.
    pub then: Vec<Value>,
    /// A note for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One input cell: any value (`"-"`) or a test of the input's value.
///
/// ```
/// use crm_core::workflow::decision::Cell;
/// use serde_json::json;
/// let c: Cell = serde_json::from_value(json!({"op": "eq", "value": "sale"})).unwrap();
/// assert!(c.matches(Some(&json!("sale"))));
/// assert!(Cell::Any.matches(None));
/// assert_eq!(serde_json::to_value(Cell::Any).unwrap(), json!("-"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Matches anything, a missing value included (`"-"`).
    Any,
    /// Matches when the test holds.
    Test(Test),
}

impl Cell {
    /// Whether the cell matches the input's value (`None`: missing).
    pub fn matches(&self, value: Option<&Value>) -> bool {
        match self {
            Cell::Any => true,
            Cell::Test(t) => t.holds(value),
        }
    }
}

impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Any => s.serialize_str("-"),
            Cell::Test(t) => t.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        match v {
            Value::String(s) if s == "-" => Ok(Cell::Any),
            Value::Object(_) => Test::deserialize(v)
                .map(Cell::Test)
                .map_err(serde::de::Error::custom),
            other => Err(serde::de::Error::custom(format!(
                "a cell is \"-\" or a test such as {{\"op\": \"eq\", \"value\": …}}, not {other}"
            ))),
        }
    }
}

/// Typed equality: equal by [`compare`], or equal JSON.
pub(crate) fn same(a: &Value, b: &Value) -> bool {
    a == b || compare(a, b) == Some(Ordering::Equal)
}

pub(crate) fn is_number(v: &Value) -> bool {
    match v {
        Value::Number(_) => true,
        Value::String(s) => crate::money::parse_decimal(s).is_ok(),
        _ => false,
    }
}

pub(crate) fn is_time(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        chrono::DateTime::parse_from_rfc3339(s).is_ok()
            || chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
    })
}

pub(crate) fn fits(kind: InputType, v: &Value) -> bool {
    match kind {
        InputType::Text => v.is_string(),
        InputType::Number => is_number(v),
        InputType::Date => is_time(v),
        InputType::Bool => v.is_boolean(),
    }
}

fn is_float(v: &Value) -> bool {
    matches!(v, Value::Number(n) if !n.is_i64() && !n.is_u64())
}

/// The values a test compares with.
pub(crate) fn test_values(t: &Test) -> Vec<&Value> {
    match t {
        Test::Eq { value }
        | Test::Ne { value }
        | Test::Lt { value }
        | Test::Lte { value }
        | Test::Gt { value }
        | Test::Gte { value }
        | Test::Contains { value } => vec![value],
        Test::Between { min, max } => vec![min, max],
        Test::In { values } | Test::NotIn { values } => values.iter().collect(),
        Test::Empty | Test::NotEmpty => Vec::new(),
    }
}

impl DecisionTable {
    /// Reads a table from JSON (shape errors: `input.json` with the path) and validates it
    /// (every problem, with its path).
    ///
    /// ```
    /// use crm_core::workflow::DecisionTable;
    /// let err = DecisionTable::from_json(r#"{"id": "t", "hit_policy": "first",
    ///   "inputs": [{"name": "n", "field": "n"}], "outputs": [{"name": "o"}],
    ///   "rows": [{"when": [], "then": ["x"]}]}"#).unwrap_err();
    /// assert_eq!(err.code().as_str(), "validation.decision.shape");
    /// assert_eq!(err.field_errors()[0].path, "rows[0].when");
    /// ```
    pub fn from_json(json: &str) -> Result<Self, Error> {
        let table: DecisionTable = crate::domain::from_json(json)?;
        table.validate()?;
        Ok(table)
    }

    /// Every problem with the table, with paths (`rows[2].when[1]`): shape
    /// (`validation.decision.shape`), hit-policy settings (`validation.decision.policy`), cells
    /// (`validation.decision.cell`, and `validation.workflow.condition` for malformed tests)
    /// and blank names (`validation.required`).
    ///
    /// ```
    /// use crm_core::{ErrorCode, workflow::DecisionTable};
    /// let t: DecisionTable = serde_json::from_str(r#"{"id": "t", "hit_policy": "first",
    ///   "aggregation": "sum", "inputs": [], "outputs": [{"name": "o"}],
    ///   "rows": [{"when": [], "then": ["1"]}]}"#).unwrap();
    /// let errs = t.validate().unwrap_err();
    /// assert!(errs.contains("aggregation", ErrorCode::DecisionPolicy));
    /// ```
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        errors.ensure(
            !self.id.trim().is_empty(),
            "id",
            ErrorCode::Required,
            "give the table an id",
        );
        self.validate_columns(&mut errors);
        self.validate_policy(&mut errors);
        errors.ensure(
            !self.rows.is_empty(),
            "rows",
            ErrorCode::DecisionShape,
            "a table needs at least one row",
        );
        for (i, row) in self.rows.iter().enumerate() {
            self.validate_row(&mut errors, i, row);
        }
        errors.into_result()
    }

    fn validate_columns(&self, errors: &mut ValidationErrors) {
        let mut names = HashSet::new();
        for (i, input) in self.inputs.iter().enumerate() {
            let path = format!("inputs[{i}]");
            if input.name.trim().is_empty() {
                errors.push(
                    FieldError::new(ErrorCode::Required, "name the input")
                        .at(&format!("{path}.name")),
                );
            } else if !names.insert(input.name.as_str()) {
                errors.push(
                    FieldError::new(
                        ErrorCode::DecisionShape,
                        format!("input `{}` is named twice", input.name),
                    )
                    .at(&format!("{path}.name")),
                );
            }
            errors.ensure(
                !input.field.trim().is_empty(),
                &format!("{path}.field"),
                ErrorCode::Required,
                "name the record field the input reads",
            );
            if let Some(values) = &input.values {
                errors.ensure(
                    !values.is_empty(),
                    &format!("{path}.values"),
                    ErrorCode::DecisionShape,
                    "list at least one allowed value, or leave `values` out",
                );
                for (k, v) in values.iter().enumerate() {
                    if let Some(msg) = cell_value_problem(input.kind, None, v) {
                        errors.push(
                            FieldError::new(ErrorCode::DecisionCell, msg)
                                .at(&format!("{path}.values[{k}]")),
                        );
                    }
                }
            }
        }
        errors.ensure(
            !self.outputs.is_empty(),
            "outputs",
            ErrorCode::DecisionShape,
            "a table needs at least one output",
        );
        let mut names = HashSet::new();
        for (j, output) in self.outputs.iter().enumerate() {
            let path = format!("outputs[{j}].name");
            if output.name.trim().is_empty() {
                errors.push(FieldError::new(ErrorCode::Required, "name the output").at(&path));
            } else if !names.insert(output.name.as_str()) {
                errors.push(
                    FieldError::new(
                        ErrorCode::DecisionShape,
                        format!("output `{}` is named twice", output.name),
                    )
                    .at(&path),
                );
            }
        }
    }

    fn validate_policy(&self, errors: &mut ValidationErrors) {
        if let Some(aggregation) = self.aggregation {
            if self.hit_policy != HitPolicy::Collect {
                errors.push(
                    FieldError::new(
                        ErrorCode::DecisionPolicy,
                        "an aggregation needs the collect hit policy",
                    )
                    .at("aggregation"),
                );
            } else if self.outputs.len() != 1 {
                errors.push(
                    FieldError::new(
                        ErrorCode::DecisionPolicy,
                        format!(
                            "`{}` aggregates a single output; the table has {}",
                            aggregation_name(aggregation),
                            self.outputs.len()
                        ),
                    )
                    .at("aggregation"),
                );
            }
        }
        let mut any_priority = false;
        for (j, output) in self.outputs.iter().enumerate() {
            let Some(list) = &output.priority else {
                continue;
            };
            any_priority = true;
            let path = format!("outputs[{j}].priority");
            if self.hit_policy != HitPolicy::Priority {
                errors.push(
                    FieldError::new(
                        ErrorCode::DecisionPolicy,
                        "a priority list needs the priority hit policy",
                    )
                    .at(&path),
                );
                continue;
            }
            errors.ensure(
                !list.is_empty(),
                &path,
                ErrorCode::DecisionPolicy,
                "list the output's values, highest priority first",
            );
            for (k, v) in list.iter().enumerate() {
                if list.iter().take(k).any(|w| same(v, w)) {
                    errors.push(
                        FieldError::new(ErrorCode::DecisionPolicy, format!("{v} is listed twice"))
                            .at(&format!("{path}[{k}]")),
                    );
                }
            }
            for (i, row) in self.rows.iter().enumerate() {
                if let Some(v) = row.then.get(j)
                    && !list.iter().any(|w| same(v, w))
                {
                    errors.push(
                        FieldError::new(
                            ErrorCode::DecisionPolicy,
                            format!("{v} is not in output `{}`'s priority list", output.name),
                        )
                        .at(&format!("rows[{i}].then[{j}]")),
                    );
                }
            }
        }
        if self.hit_policy == HitPolicy::Priority && !any_priority {
            errors.push(
                FieldError::new(
                    ErrorCode::DecisionPolicy,
                    "the priority hit policy needs a `priority` list on at least one output",
                )
                .at("outputs"),
            );
        }
    }

    fn validate_row(&self, errors: &mut ValidationErrors, i: usize, row: &Row) {
        let path = format!("rows[{i}]");
        if row.when.len() != self.inputs.len() {
            errors.push(
                FieldError::new(
                    ErrorCode::DecisionShape,
                    format!(
                        "give one cell per input: {} input(s), {} cell(s)",
                        self.inputs.len(),
                        row.when.len()
                    ),
                )
                .at(&format!("{path}.when")),
            );
        }
        if row.then.len() != self.outputs.len() {
            errors.push(
                FieldError::new(
                    ErrorCode::DecisionShape,
                    format!(
                        "give one value per output: {} output(s), {} value(s)",
                        self.outputs.len(),
                        row.then.len()
                    ),
                )
                .at(&format!("{path}.then")),
            );
        }
        for (j, cell) in row.when.iter().enumerate() {
            let Cell::Test(test) = cell else { continue };
            let cell_path = format!("{path}.when[{j}]");
            let as_condition = Condition::Field(FieldTest {
                field: "cell".to_owned(),
                test: test.clone(),
            });
            if let Err(problems) = as_condition.validate() {
                for mut e in problems {
                    e.path = cell_path.clone();
                    errors.push(e);
                }
            }
            let input = self.inputs.get(j);
            if matches!(test, Test::Contains { .. }) {
                continue;
            }
            for v in test_values(test) {
                if let Some(msg) = cell_value_problem(
                    input.and_then(|i| i.kind),
                    input.and_then(|i| i.values.as_deref()),
                    v,
                ) {
                    errors.push(FieldError::new(ErrorCode::DecisionCell, msg).at(&cell_path));
                }
            }
        }
        for (j, v) in row.then.iter().enumerate() {
            if is_float(v) {
                errors.push(
                    FieldError::new(
                        ErrorCode::DecisionCell,
                        format!(
                            "write the number {v} as a decimal string (\"{v}\"), not a JSON float"
                        ),
                    )
                    .at(&format!("{path}.then[{j}]")),
                );
            }
        }
    }
}

fn aggregation_name(a: Aggregation) -> &'static str {
    match a {
        Aggregation::Sum => "sum",
        Aggregation::Min => "min",
        Aggregation::Max => "max",
        Aggregation::Count => "count",
    }
}

fn type_name(kind: InputType) -> &'static str {
    match kind {
        InputType::Text => "text",
        InputType::Number => "a number",
        InputType::Date => "a date",
        InputType::Bool => "true or false",
    }
}

fn cell_value_problem(
    kind: Option<InputType>,
    allowed: Option<&[Value]>,
    v: &Value,
) -> Option<String> {
    if is_float(v) {
        return Some(format!(
            "write the number {v} as a decimal string (\"{v}\"), not a JSON float"
        ));
    }
    if let Some(kind) = kind
        && !fits(kind, v)
    {
        return Some(format!("{v} is not {}, the input's type", type_name(kind)));
    }
    if let Some(allowed) = allowed
        && !allowed.iter().any(|w| same(v, w))
    {
        return Some(format!("{v} is not one of the input's allowed values"));
    }
    None
}

#[cfg(test)]
mod tests;
