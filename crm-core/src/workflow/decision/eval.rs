//! Evaluation: which rows match, and what the hit policy makes of them.

use super::{Aggregation, DecisionTable, HitPolicy, Row, fits, same, type_name};
use crate::error::{Error, ErrorCode, FieldError};
use crate::workflow::condition::lookup;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::str::FromStr;

/// The result of evaluating a table.
///
/// ```
/// use crm_core::workflow::DecisionTable;
/// use serde_json::json;
/// let t = DecisionTable::from_json(r#"{"id": "bonus", "hit_policy": "collect", "aggregation": "sum",
///   "inputs": [{"name": "value", "field": "value", "type": "number"}], "outputs": [{"name": "bonus"}],
///   "rows": [{"when": [{"op": "gte", "value": "0"}], "then": ["100.00"]},
///            {"when": [{"op": "gte", "value": "500000"}], "then": ["250.50"]}]}"#).unwrap();
/// let d = t.evaluate(&json!({"value": "750000"})).unwrap();
/// assert_eq!(d.matched_rows, [0, 1]);
/// assert_eq!(d.aggregate, Some(json!("350.50")));
/// assert_eq!(d.outputs.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// One map of output name → value per result: exactly one for the single-hit policies
    /// (unique, first, priority, any), one per matching row in table order for rule order and
    /// collect (possibly none).
    pub outputs: Vec<Map<String, Value>>,
    /// The rows whose conditions hold, in table order (0-based). For `first`, only the first:
    /// evaluation stops there.
    pub matched_rows: Vec<usize>,
    /// For the single-hit policies, the row whose outputs were taken (for `priority`, the
    /// highest-ranked; for `any`, the first of the agreeing rows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_row: Option<usize>,
    /// For `collect` with an aggregation: the sum, min or max as a decimal string (`"0"` for
    /// an empty sum, `null` for an empty min or max), or the count as a decimal string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregate: Option<Value>,
}

impl DecisionTable {
    /// Evaluates the table against a record's JSON form: each input reads its `field` (a
    /// dotted path; missing means absent, which only `"-"`, `empty` and `not_in` cells match).
    ///
    /// Errors: `workflow.decision.input_type` (a present value not of the input's declared type
    /// or allowed values, at the field's path), `workflow.decision.not_unique`,
    /// `workflow.decision.conflict`, `workflow.decision.no_match` (unique, first, priority, any
    /// only), `workflow.decision.aggregate` (sum/min/max over a non-number) and
    /// `money.overflow` (a sum out of the decimal range). The table should have passed
    /// [`validate`](Self::validate); an invalid one never panics but may give odd results.
    ///
    /// ```
    /// use crm_core::workflow::DecisionTable;
    /// use serde_json::json;
    /// let t = DecisionTable::from_json(r#"{"id": "t", "hit_policy": "unique",
    ///   "inputs": [{"name": "n", "field": "n", "type": "number"}], "outputs": [{"name": "o"}],
    ///   "rows": [{"when": [{"op": "lte", "value": 10}], "then": ["low"]},
    ///            {"when": [{"op": "gte", "value": 10}], "then": ["high"]}]}"#).unwrap();
    /// assert_eq!(t.evaluate(&json!({"n": 3})).unwrap().outputs[0]["o"], json!("low"));
    /// let err = t.evaluate(&json!({"n": "10.0"})).unwrap_err();
    /// assert_eq!(err.code().as_str(), "workflow.decision.not_unique");
    /// ```
    pub fn evaluate(&self, record: &Value) -> Result<Decision, Error> {
        let values: Vec<Option<&Value>> = self
            .inputs
            .iter()
            .map(|i| lookup(record, &i.field))
            .collect();
        self.decide(&values, false)
    }

    /// Evaluates the table against input values given by input name (a missing name is an
    /// absent value). Same errors as [`evaluate`](Self::evaluate), placed at the input's name.
    ///
    /// ```
    /// use crm_core::workflow::DecisionTable;
    /// use serde_json::json;
    /// let t = DecisionTable::from_json(r#"{"id": "t", "hit_policy": "first",
    ///   "inputs": [{"name": "kind", "field": "deal.kind"}], "outputs": [{"name": "team"}],
    ///   "rows": [{"when": [{"op": "eq", "value": "lease"}], "then": ["rentals"]},
    ///            {"when": ["-"], "then": ["sales"]}]}"#).unwrap();
    /// let inputs = json!({"kind": "lease"});
    /// let d = t.evaluate_inputs(inputs.as_object().unwrap()).unwrap();
    /// assert_eq!(d.outputs[0]["team"], json!("rentals"));
    /// ```
    pub fn evaluate_inputs(&self, inputs: &Map<String, Value>) -> Result<Decision, Error> {
        let values: Vec<Option<&Value>> = self.inputs.iter().map(|i| inputs.get(&i.name)).collect();
        self.decide(&values, true)
    }

    fn decide(&self, values: &[Option<&Value>], by_name: bool) -> Result<Decision, Error> {
        self.check_inputs(values, by_name)?;
        let matches_row = |row: &Row| {
            row.when
                .iter()
                .enumerate()
                .all(|(j, cell)| cell.matches(values.get(j).copied().flatten()))
        };
        if self.hit_policy == HitPolicy::First {
            let hit = self.rows.iter().position(matches_row);
            return match hit.and_then(|i| self.rows.get(i).map(|r| (i, r))) {
                Some((i, row)) => Ok(Decision {
                    outputs: vec![self.output_map(row)],
                    matched_rows: vec![i],
                    selected_row: Some(i),
                    aggregate: None,
                }),
                None => Err(self.no_match()),
            };
        }
        let matched: Vec<(usize, &Row)> = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| matches_row(r))
            .collect();
        let matched_rows: Vec<usize> = matched.iter().map(|(i, _)| *i).collect();
        let single = |i: usize, row: &Row| Decision {
            outputs: vec![self.output_map(row)],
            matched_rows: matched_rows.clone(),
            selected_row: Some(i),
            aggregate: None,
        };
        match self.hit_policy {
            HitPolicy::Unique | HitPolicy::First => match matched.as_slice() {
                [] => Err(self.no_match()),
                [(i, row)] => Ok(single(*i, row)),
                _ => Err(FieldError::new(
                    ErrorCode::DecisionNotUnique,
                    format!(
                        "table `{}` has the unique hit policy, but {} match",
                        self.id,
                        row_list(&matched_rows)
                    ),
                )
                .into()),
            },
            HitPolicy::Any => {
                let Some(&(first, first_row)) = matched.first() else {
                    return Err(self.no_match());
                };
                let differing: Vec<usize> = matched
                    .iter()
                    .filter(|(_, r)| !same_outputs(r, first_row))
                    .map(|(i, _)| *i)
                    .collect();
                if let Some(&other) = differing.first() {
                    return Err(FieldError::new(
                        ErrorCode::DecisionConflict,
                        format!(
                            "table `{}` has the any hit policy, but {} match with different outputs",
                            self.id,
                            row_list(&[first, other])
                        ),
                    )
                    .into());
                }
                Ok(single(first, first_row))
            }
            HitPolicy::Priority => {
                let best = matched
                    .iter()
                    .min_by_key(|(_, r)| self.rank(r))
                    .copied()
                    .ok_or_else(|| self.no_match())?;
                Ok(single(best.0, best.1))
            }
            HitPolicy::RuleOrder | HitPolicy::Collect => {
                let aggregate = match self.aggregation {
                    Some(a) if self.hit_policy == HitPolicy::Collect => {
                        Some(aggregate(a, &matched)?)
                    }
                    _ => None,
                };
                Ok(Decision {
                    outputs: matched.iter().map(|(_, r)| self.output_map(r)).collect(),
                    matched_rows,
                    selected_row: None,
                    aggregate,
                })
            }
        }
    }

    fn check_inputs(&self, values: &[Option<&Value>], by_name: bool) -> Result<(), Error> {
        for (input, value) in self.inputs.iter().zip(values) {
            let Some(v) = value.filter(|v| !v.is_null()) else {
                continue;
            };
            let path = if by_name { &input.name } else { &input.field };
            if let Some(kind) = input.kind
                && !fits(kind, v)
            {
                return Err(FieldError::new(
                    ErrorCode::DecisionInputType,
                    format!("input `{}` is {}, not {v}", input.name, type_name(kind)),
                )
                .at(path)
                .into());
            }
            if let Some(allowed) = &input.values
                && !allowed.iter().any(|w| same(v, w))
            {
                return Err(FieldError::new(
                    ErrorCode::DecisionInputType,
                    format!("{v} is not one of input `{}`'s allowed values", input.name),
                )
                .at(path)
                .into());
            }
        }
        Ok(())
    }

    fn no_match(&self) -> Error {
        FieldError::new(
            ErrorCode::DecisionNoMatch,
            format!("no row of table `{}` matches", self.id),
        )
        .into()
    }

    fn output_map(&self, row: &Row) -> Map<String, Value> {
        self.outputs
            .iter()
            .enumerate()
            .map(|(j, o)| {
                (
                    o.name.clone(),
                    row.then.get(j).cloned().unwrap_or(Value::Null),
                )
            })
            .collect()
    }

    /// The row's rank: per output with a priority list, the position of its value (lower is
    /// higher priority; a value not listed ranks last).
    fn rank(&self, row: &Row) -> Vec<usize> {
        self.outputs
            .iter()
            .enumerate()
            .filter_map(|(j, o)| {
                let list = o.priority.as_ref()?;
                let v = row.then.get(j);
                Some(
                    v.and_then(|v| list.iter().position(|w| same(v, w)))
                        .unwrap_or(list.len()),
                )
            })
            .collect()
    }
}

fn same_outputs(a: &Row, b: &Row) -> bool {
    a.then.len() == b.then.len() && a.then.iter().zip(&b.then).all(|(x, y)| same(x, y))
}

fn row_list(rows: &[usize]) -> String {
    let names: Vec<String> = rows.iter().map(|i| format!("rows[{i}]")).collect();
    names.join(", ")
}

fn decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        Value::String(s) => crate::money::parse_decimal(s).ok(),
        _ => None,
    }
}

fn aggregate(a: Aggregation, matched: &[(usize, &Row)]) -> Result<Value, Error> {
    if a == Aggregation::Count {
        return Ok(Value::String(matched.len().to_string()));
    }
    let mut numbers = Vec::with_capacity(matched.len());
    for (i, row) in matched {
        let v = row.then.first().unwrap_or(&Value::Null);
        let d = decimal(v).ok_or_else(|| {
            Error::from(
                FieldError::new(
                    ErrorCode::DecisionAggregate,
                    format!(
                        "{} cannot aggregate {v}: it is not a number",
                        super::aggregation_name(a)
                    ),
                )
                .at(&format!("rows[{i}].then[0]")),
            )
        })?;
        numbers.push(d);
    }
    let result = match a {
        Aggregation::Sum => {
            let mut total = Decimal::ZERO;
            for d in numbers {
                total = total.checked_add(d).ok_or(Error::Overflow {
                    operation: "decision table sum",
                })?;
            }
            Some(total)
        }
        Aggregation::Min => numbers.into_iter().min(),
        Aggregation::Max => numbers.into_iter().max(),
        Aggregation::Count => None,
    };
    Ok(result.map_or(Value::Null, |d| Value::String(d.to_string())))
}
