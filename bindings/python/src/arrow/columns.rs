//! Result columns for Arrow tables: exact decimals (`decimal128`, one scale per column, never a
//! float), dictionary-encoded names (pandas categoricals) and optional text.

use arrow_array::builder::StringDictionaryBuilder;
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, Decimal128Array, StringArray};
use realestate_crm::ErrorCode;
use realestate_crm::host::HostError;
use rust_decimal::Decimal;
use std::sync::Arc;

/// Largest decimal128 precision.
const PRECISION: u8 = 38;

fn internal(e: impl std::fmt::Display) -> HostError {
    HostError::new(
        ErrorCode::Panic,
        format!("a result column could not be built: {e}"),
    )
}

/// Decimals as one `decimal128(38, s)` column, `s` the largest scale among them, so every value
/// keeps its exact digits (`None` is null).
pub fn decimals(values: &[Option<Decimal>]) -> Result<ArrayRef, HostError> {
    let scale = values
        .iter()
        .flatten()
        .map(Decimal::scale)
        .max()
        .unwrap_or(2);
    let mantissas = values
        .iter()
        .map(|v| {
            v.map(|d| {
                let up = scale - d.scale();
                10i128
                    .checked_pow(up)
                    .and_then(|f| d.mantissa().checked_mul(f))
                    .ok_or_else(|| internal(format!("{d} does not fit a decimal128")))
            })
            .transpose()
        })
        .collect::<Result<Vec<Option<i128>>, HostError>>()?;
    let scale = i8::try_from(scale).map_err(internal)?;
    let array = Decimal128Array::from(mantissas)
        .with_precision_and_scale(PRECISION, scale)
        .map_err(internal)?;
    Ok(Arc::new(array))
}

/// Names as a dictionary-encoded column (`None` is null).
pub fn names<'a>(values: impl IntoIterator<Item = Option<&'a str>>) -> Result<ArrayRef, HostError> {
    let mut b = StringDictionaryBuilder::<Int32Type>::new();
    for v in values {
        match v {
            Some(s) => {
                b.append(s).map_err(internal)?;
            }
            None => b.append_null(),
        }
    }
    Ok(Arc::new(b.finish()))
}

/// Text (`None` is null).
pub fn text(values: Vec<Option<String>>) -> ArrayRef {
    Arc::new(StringArray::from(values))
}
