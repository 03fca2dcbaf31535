//! Result columns for Arrow tables: exact decimals (`decimal128`, one scale per column, never a
//! float) and dictionary-encoded names (pandas categoricals).

use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, Decimal128Array, StringArray};
use realestate_crm::ErrorCode;
use realestate_crm::host::HostError;
use rust_decimal::Decimal;
use std::sync::Arc;

/// Largest decimal128 precision.
const PRECISION: u8 = 38;

/// The first mantissa a `decimal128(38, _)` cannot hold: 10^38.
const MAX_MANTISSA: u128 = 10u128.pow(PRECISION as u32);

fn internal(e: impl std::fmt::Display) -> HostError {
    HostError::new(
        ErrorCode::Panic,
        format!("a result column could not be built: {e}"),
    )
}

/// The largest scale among the values (`None` when there are none).
pub fn max_scale(values: &[Option<Decimal>]) -> Option<u32> {
    values.iter().flatten().map(Decimal::scale).max()
}

/// Decimals as one `decimal128(38, scale)` column; `scale` must be at least every value's own
/// (see [`max_scale`]) so no digit is lost.
pub fn decimals_at(values: &[Option<Decimal>], scale: u32) -> Result<ArrayRef, HostError> {
    let mantissa = |d: Decimal| -> Result<i128, HostError> {
        let m = if d.scale() == scale {
            // Every amount of a book usually shares the column's scale: no rescaling.
            Some(d.mantissa())
        } else {
            scale
                .checked_sub(d.scale())
                .and_then(|up| 10i128.checked_pow(up))
                .and_then(|f| d.mantissa().checked_mul(f))
        };
        m.filter(|m| m.unsigned_abs() < MAX_MANTISSA)
            .ok_or_else(|| internal(format!("{d} does not fit a decimal128(38)")))
    };
    // Without nulls the values go straight into the buffer (no validity bitmap to build).
    let array = if values.iter().all(Option::is_some) {
        let mut mantissas = Vec::with_capacity(values.len());
        for d in values.iter().flatten() {
            mantissas.push(mantissa(*d)?);
        }
        Decimal128Array::from_iter_values(mantissas)
    } else {
        let mantissas = values
            .iter()
            .map(|v| v.map(mantissa).transpose())
            .collect::<Result<Vec<Option<i128>>, HostError>>()?;
        Decimal128Array::from(mantissas)
    };
    let scale = i8::try_from(scale).map_err(internal)?;
    let array = array
        .with_precision_and_scale(PRECISION, scale)
        .map_err(internal)?;
    Ok(Arc::new(array))
}

/// A dictionary-encoded column built from keys: equal keys share one value, whose text is
/// written once, when the key is first seen (enum values, codes: a few values over many rows).
pub struct Keyed<K> {
    seen: Vec<K>,
    values: Vec<String>,
    keys: Vec<Option<i32>>,
}

impl<K: PartialEq> Default for Keyed<K> {
    fn default() -> Self {
        Self {
            seen: Vec::new(),
            values: Vec::new(),
            keys: Vec::new(),
        }
    }
}

impl<K: PartialEq> Keyed<K> {
    /// An empty column with room for `rows` keys.
    pub fn with_capacity(rows: usize) -> Self {
        Self {
            keys: Vec::with_capacity(rows),
            ..Self::default()
        }
    }

    /// Appends the value of `key`; `text` writes it the first time the key is seen.
    pub fn push(
        &mut self,
        key: K,
        text: impl FnOnce(&K) -> Result<String, HostError>,
    ) -> Result<(), HostError> {
        let at = match self.seen.iter().position(|k| *k == key) {
            Some(at) => at,
            None => {
                self.values.push(text(&key)?);
                self.seen.push(key);
                self.seen.len() - 1
            }
        };
        self.keys.push(Some(i32::try_from(at).map_err(internal)?));
        Ok(())
    }

    /// Appends a null.
    pub fn push_null(&mut self) {
        self.keys.push(None);
    }

    /// The column.
    pub fn finish(self) -> Result<ArrayRef, HostError> {
        let keys = if self.keys.iter().all(Option::is_some) {
            arrow_array::Int32Array::from_iter_values(self.keys.into_iter().flatten())
        } else {
            arrow_array::Int32Array::from(self.keys)
        };
        let array = arrow_array::DictionaryArray::<Int32Type>::try_new(
            keys,
            Arc::new(StringArray::from(self.values)),
        )
        .map_err(internal)?;
        Ok(Arc::new(array))
    }
}
