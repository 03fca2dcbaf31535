//! Arrow columns as the row reader's cells ([`Cells`]): each record is read straight from the
//! arrays (strings borrowed, numbers as they are), with no Python object and no JSON tree in
//! between.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use chrono::{DateTime, NaiveDate, SecondsFormat};
use realestate_crm::host::rows::Cells;
use rust_decimal::Decimal;
use serde::de::{self, DeserializeSeed, Visitor};
use serde_json::Error;

/// One column of one batch, resolved to its concrete arrays once (nested ones too: a list of
/// structs of strings, as a deal's participants), so reading a cell is a bounds and validity
/// check and a slice, with no type dispatch per cell; every other type goes through [`Cell`].
enum Column {
    Utf8(arrow_array::StringArray),
    LargeUtf8(arrow_array::LargeStringArray),
    View(arrow_array::StringViewArray),
    /// A list, its items resolved.
    List {
        list: arrow_array::ListArray,
        items: Box<Column>,
    },
    /// A list with 64-bit offsets (polars' lists), its items resolved.
    LargeList {
        list: arrow_array::LargeListArray,
        items: Box<Column>,
    },
    /// A struct, each field resolved, with its name.
    Struct {
        array: arrow_array::StructArray,
        fields: Vec<(String, Column)>,
    },
    Other(ArrayRef),
}

impl Column {
    fn of(array: &ArrayRef) -> Self {
        match array.data_type() {
            DataType::Utf8 => Self::Utf8(array.as_string::<i32>().clone()),
            DataType::LargeUtf8 => Self::LargeUtf8(array.as_string::<i64>().clone()),
            DataType::Utf8View => Self::View(array.as_string_view().clone()),
            DataType::List(_) => {
                let list = array.as_list::<i32>().clone();
                let items = Box::new(Self::of(list.values()));
                Self::List { list, items }
            }
            DataType::LargeList(_) => {
                let list = array.as_list::<i64>().clone();
                let items = Box::new(Self::of(list.values()));
                Self::LargeList { list, items }
            }
            DataType::Struct(_) => {
                let array = array.as_struct().clone();
                let fields = array
                    .fields()
                    .iter()
                    .zip(array.columns())
                    .map(|(f, c)| (f.name().clone(), Self::of(c)))
                    .collect();
                Self::Struct { array, fields }
            }
            _ => Self::Other(array.clone()),
        }
    }

    fn len(&self) -> usize {
        match self {
            Self::Utf8(a) => a.len(),
            Self::LargeUtf8(a) => a.len(),
            Self::View(a) => a.len(),
            Self::List { list, .. } => list.len(),
            Self::LargeList { list, .. } => list.len(),
            Self::Struct { array, .. } => array.len(),
            Self::Other(a) => a.len(),
        }
    }

    /// Whether the cell has no value (a null, or for other types also a float NaN).
    fn missing(&self, r: usize) -> bool {
        match self {
            Self::Utf8(a) => a.is_null(r),
            Self::LargeUtf8(a) => a.is_null(r),
            Self::View(a) => a.is_null(r),
            Self::List { list, .. } => list.is_null(r),
            Self::LargeList { list, .. } => list.is_null(r),
            Self::Struct { array, .. } => array.is_null(r),
            Self::Other(a) => missing(a.as_ref(), r),
        }
    }

    /// The text of a string cell with a value.
    fn text(&self, r: usize) -> Option<&str> {
        match self {
            Self::Utf8(a) => Some(a.value(r)),
            Self::LargeUtf8(a) => Some(a.value(r)),
            Self::View(a) => Some(a.value(r)),
            _ => None,
        }
    }
}

/// The columns of a table's record batches, each batch's arrays in the order of the names the
/// layout was built from.
pub struct ArrowCells {
    batches: Vec<Vec<Column>>,
    starts: Vec<usize>,
    rows: usize,
}

impl ArrowCells {
    /// The given columns (by index into each batch's schema) of every batch.
    pub fn new(batches: &[RecordBatch], columns: &[usize]) -> Self {
        let mut starts = Vec::with_capacity(batches.len());
        let mut rows = 0;
        let batches = batches
            .iter()
            .map(|b| {
                starts.push(rows);
                rows += b.num_rows();
                columns
                    .iter()
                    .filter_map(|&c| b.columns().get(c).map(Column::of))
                    .collect()
            })
            .collect();
        Self {
            batches,
            starts,
            rows,
        }
    }

    /// The number of rows of all batches.
    pub fn rows(&self) -> usize {
        self.rows
    }

    fn locate(&self, col: usize, row: usize) -> Option<(&Column, usize)> {
        let (b, start) = if self.starts.len() == 1 {
            (0, 0)
        } else {
            let b = self.starts.partition_point(|&s| s <= row).checked_sub(1)?;
            (b, *self.starts.get(b)?)
        };
        let column = self.batches.get(b)?.get(col)?;
        let r = row - start;
        (r < column.len()).then_some((column, r))
    }
}

impl Cells for ArrowCells {
    type Cell<'a> = ArrowCell<'a>;

    fn cell(&self, col: usize, row: usize) -> Option<ArrowCell<'_>> {
        let (column, row) = self.locate(col, row)?;
        (!column.missing(row)).then_some(ArrowCell { column, row })
    }
}

/// A cell known to hold a value, of a resolved column.
pub struct ArrowCell<'a> {
    column: &'a Column,
    row: usize,
}

impl<'de> de::Deserializer<'de> for ArrowCell<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let r = self.row;
        match self.column {
            Column::Utf8(a) => visitor.visit_borrowed_str(a.value(r)),
            Column::LargeUtf8(a) => visitor.visit_borrowed_str(a.value(r)),
            Column::View(a) => visitor.visit_borrowed_str(a.value(r)),
            Column::List { list, items } => {
                let (at, end) = item_range(list.value_offsets(), r, items.len())?;
                visitor.visit_seq(ResolvedItems { items, at, end })
            }
            Column::LargeList { list, items } => {
                let (at, end) = item_range(list.value_offsets(), r, items.len())?;
                visitor.visit_seq(ResolvedItems { items, at, end })
            }
            Column::Struct { fields, .. } => visitor.visit_map(ResolvedStruct {
                fields: fields.iter(),
                row: r,
                next: None,
            }),
            Column::Other(a) => Cell::<true> {
                array: a.as_ref(),
                row: r,
            }
            .deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match (self.column, self.column.text(self.row)) {
            (_, Some(s)) => visitor.visit_enum(de::value::BorrowedStrDeserializer::new(s)),
            (Column::Other(a), None) => Cell::<true> {
                array: a.as_ref(),
                row: self.row,
            }
            .deserialize_enum(name, variants, visitor),
            (_, None) => self.deserialize_any(visitor).map_err(|e| {
                err(format!(
                    "{e} (reading the enum {name}, one of {variants:?})"
                ))
            }),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

/// The items of list cell `r` given its offsets, checked against the `items` values there are.
fn item_range<O: Copy + TryInto<usize>>(
    offsets: &[O],
    r: usize,
    items: usize,
) -> Result<(usize, usize), Error> {
    let bound = |i: usize| -> Result<usize, Error> {
        offsets
            .get(i)
            .and_then(|&o| o.try_into().ok())
            .ok_or_else(|| err("a list's offsets are out of range".to_owned()))
    };
    let (start, end) = (bound(r)?, bound(r + 1)?);
    if start > end || end > items {
        return Err(err("a list's offsets are out of range".to_owned()));
    }
    Ok((start, end))
}

/// A cell of a resolved column that may be missing (a list's item): missing reads as a unit
/// value or `None`, as [`Cell`] does.
struct MaybeCell<'a> {
    column: &'a Column,
    row: usize,
}

impl<'de> de::Deserializer<'de> for MaybeCell<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.column.missing(self.row) {
            return visitor.visit_unit();
        }
        ArrowCell {
            column: self.column,
            row: self.row,
        }
        .deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.column.missing(self.row) {
            return visitor.visit_none();
        }
        visitor.visit_some(ArrowCell {
            column: self.column,
            row: self.row,
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if self.column.missing(self.row) {
            return visitor.visit_unit().map_err(|e: Error| {
                err(format!(
                    "{e} (reading the enum {name}, one of {variants:?})"
                ))
            });
        }
        ArrowCell {
            column: self.column,
            row: self.row,
        }
        .deserialize_enum(name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

/// The items of a resolved list cell.
struct ResolvedItems<'a> {
    items: &'a Column,
    at: usize,
    end: usize,
}

impl<'de> de::SeqAccess<'de> for ResolvedItems<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if self.at >= self.end {
            return Ok(None);
        }
        let row = self.at;
        self.at += 1;
        seed.deserialize(MaybeCell {
            column: self.items,
            row,
        })
        .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.end - self.at)
    }
}

/// A resolved struct cell as a map of its fields that hold a value.
struct ResolvedStruct<'a> {
    fields: std::slice::Iter<'a, (String, Column)>,
    row: usize,
    next: Option<&'a Column>,
}

impl<'de> de::MapAccess<'de> for ResolvedStruct<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        for (name, column) in self.fields.by_ref() {
            if !column.missing(self.row) {
                self.next = Some(column);
                return seed
                    .deserialize(de::value::BorrowedStrDeserializer::new(name))
                    .map(Some);
            }
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.next.take() {
            Some(column) => seed.deserialize(ArrowCell {
                column,
                row: self.row,
            }),
            None => Err(err("a value without its key".to_owned())),
        }
    }
}

/// A null, or a float NaN (pandas' missing value): the field is left out.
fn missing(array: &dyn Array, row: usize) -> bool {
    if array.is_null(row) {
        return true;
    }
    match array.data_type() {
        DataType::Float64 => array
            .as_primitive::<arrow_array::types::Float64Type>()
            .value(row)
            .is_nan(),
        DataType::Float32 => array
            .as_primitive::<arrow_array::types::Float32Type>()
            .value(row)
            .is_nan(),
        DataType::Dictionary(..) => dictionary_value(array, row)
            .map(|(values, i)| missing(values, i))
            .unwrap_or(true),
        _ => false,
    }
}

/// The values array and index a dictionary cell points at (`None` for a key out of range).
fn dictionary_value(array: &dyn Array, row: usize) -> Option<(&dyn Array, usize)> {
    macro_rules! key {
        ($t:ty) => {{
            let d = array.as_dictionary_opt::<$t>()?;
            let k = usize::try_from(d.keys().value(row)).ok()?;
            (d.values().as_ref(), k)
        }};
    }
    let (values, k) = match array.data_type() {
        DataType::Dictionary(key, _) => match key.as_ref() {
            DataType::Int8 => key!(Int8Type),
            DataType::Int16 => key!(Int16Type),
            DataType::Int32 => key!(Int32Type),
            DataType::Int64 => key!(Int64Type),
            DataType::UInt8 => key!(UInt8Type),
            DataType::UInt16 => key!(UInt16Type),
            DataType::UInt32 => key!(UInt32Type),
            DataType::UInt64 => key!(UInt64Type),
            _ => return None,
        },
        _ => return None,
    };
    (k < values.len()).then_some((values, k))
}

fn err(message: String) -> Error {
    de::Error::custom(message)
}

/// One cell as a serde value: strings, numbers, booleans, dates (ISO 8601), instants
/// (RFC 3339, UTC; a timestamp column without a time zone is refused like a naive datetime),
/// decimals (as their text, never a float), lists, structs and dictionary-encoded columns
/// (pandas categoricals).
/// `KNOWN`: the caller already checked that the cell holds a value ([`missing`]), so it is not
/// checked again (a type parameter, not a field: nothing extra is stored or copied).
pub struct Cell<'a, const KNOWN: bool = false> {
    array: &'a dyn Array,
    row: usize,
}

impl<'de, const KNOWN: bool> de::Deserializer<'de> for Cell<'de, KNOWN> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let (a, r) = (self.array, self.row);
        if !KNOWN && missing(a, r) {
            return visitor.visit_unit();
        }
        macro_rules! int {
            ($t:ty, $visit:ident, $as:ty) => {
                visitor.$visit(<$as>::from(a.as_primitive::<$t>().value(r)))
            };
        }
        match a.data_type() {
            DataType::Boolean => visitor.visit_bool(a.as_boolean().value(r)),
            DataType::Int8 => int!(Int8Type, visit_i64, i64),
            DataType::Int16 => int!(Int16Type, visit_i64, i64),
            DataType::Int32 => int!(Int32Type, visit_i64, i64),
            DataType::Int64 => int!(Int64Type, visit_i64, i64),
            DataType::UInt8 => int!(UInt8Type, visit_u64, u64),
            DataType::UInt16 => int!(UInt16Type, visit_u64, u64),
            DataType::UInt32 => int!(UInt32Type, visit_u64, u64),
            DataType::UInt64 => int!(UInt64Type, visit_u64, u64),
            DataType::Float32 => visitor.visit_f64(f64::from(
                a.as_primitive::<arrow_array::types::Float32Type>().value(r),
            )),
            DataType::Float64 => {
                visitor.visit_f64(a.as_primitive::<arrow_array::types::Float64Type>().value(r))
            }
            DataType::Utf8 => visitor.visit_borrowed_str(a.as_string::<i32>().value(r)),
            DataType::LargeUtf8 => visitor.visit_borrowed_str(a.as_string::<i64>().value(r)),
            DataType::Utf8View => visitor.visit_borrowed_str(a.as_string_view().value(r)),
            DataType::Date32 => {
                let days = a.as_primitive::<arrow_array::types::Date32Type>().value(r);
                let date = NaiveDate::from_num_days_from_ce_opt(days.saturating_add(719_163))
                    .ok_or_else(|| {
                        err(format!("the date {days} days from 1970 is out of range"))
                    })?;
                visitor.visit_str(&date.format("%Y-%m-%d").to_string())
            }
            DataType::Timestamp(unit, tz) => {
                if tz.is_none() {
                    return Err(err(
                        "a timestamp column without a time zone is a naive datetime; give it one (UTC)"
                            .to_owned(),
                    ));
                }
                let v = timestamp_value(a, *unit, r)?;
                visitor.visit_str(&v.to_rfc3339_opts(SecondsFormat::AutoSi, true))
            }
            DataType::Decimal128(_, scale) => {
                let v = a
                    .as_primitive::<arrow_array::types::Decimal128Type>()
                    .value(r);
                let scale = u32::try_from(*scale)
                    .map_err(|_| err("a decimal column with a negative scale".to_owned()))?;
                let d = Decimal::try_from_i128_with_scale(v, scale)
                    .map_err(|e| err(format!("the decimal does not fit: {e}")))?;
                visitor.visit_str(&d.to_string())
            }
            DataType::List(_) => {
                let list = a.as_list::<i32>();
                let offsets = list.value_offsets();
                seq(visitor, list.values().as_ref(), offsets, r)
            }
            DataType::LargeList(_) => {
                let list = a.as_list::<i64>();
                let offsets = list.value_offsets();
                seq(visitor, list.values().as_ref(), offsets, r)
            }
            DataType::Struct(_) => {
                let s = a.as_struct();
                visitor.visit_map(StructMap {
                    fields: s.fields(),
                    columns: s.columns(),
                    row: r,
                    at: 0,
                    next: None,
                })
            }
            DataType::Dictionary(..) => match dictionary_value(a, r) {
                Some((values, i)) => Cell::<false> {
                    array: values,
                    row: i,
                }
                .deserialize_any(visitor),
                None => visitor.visit_unit(),
            },
            DataType::Null => visitor.visit_unit(),
            other => Err(err(format!(
                "a column of Arrow type {other} cannot be read here"
            ))),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if !KNOWN && missing(self.array, self.row) {
            visitor.visit_none()
        } else {
            visitor.visit_some(Cell::<true> {
                array: self.array,
                row: self.row,
            })
        }
    }

    /// A unit variant named by a string cell (`"immediate"`); other enums read as any value.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match text(self.array, self.row) {
            Some(s) => visitor.visit_enum(de::value::BorrowedStrDeserializer::new(s)),
            None => self.deserialize_any(visitor).map_err(|e| {
                err(format!(
                    "{e} (reading the enum {name}, one of {variants:?})"
                ))
            }),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

/// The text of a string cell (plain, large, view or dictionary-encoded), if it is one.
fn text(a: &dyn Array, r: usize) -> Option<&str> {
    if a.is_null(r) {
        return None;
    }
    match a.data_type() {
        DataType::Utf8 => Some(a.as_string::<i32>().value(r)),
        DataType::LargeUtf8 => Some(a.as_string::<i64>().value(r)),
        DataType::Utf8View => Some(a.as_string_view().value(r)),
        DataType::Dictionary(..) => dictionary_value(a, r).and_then(|(v, i)| text(v, i)),
        _ => None,
    }
}

fn timestamp_value(
    a: &dyn Array,
    unit: TimeUnit,
    r: usize,
) -> Result<DateTime<chrono::Utc>, Error> {
    use arrow_array::types::{
        TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
        TimestampSecondType,
    };
    let out = match unit {
        TimeUnit::Second => {
            DateTime::from_timestamp(a.as_primitive::<TimestampSecondType>().value(r), 0)
        }
        TimeUnit::Millisecond => {
            DateTime::from_timestamp_millis(a.as_primitive::<TimestampMillisecondType>().value(r))
        }
        TimeUnit::Microsecond => {
            DateTime::from_timestamp_micros(a.as_primitive::<TimestampMicrosecondType>().value(r))
        }
        TimeUnit::Nanosecond => Some(DateTime::from_timestamp_nanos(
            a.as_primitive::<TimestampNanosecondType>().value(r),
        )),
    };
    out.ok_or_else(|| err("the timestamp is out of range".to_owned()))
}

fn seq<'de, V: Visitor<'de>, O: Copy + TryInto<usize>>(
    visitor: V,
    values: &'de dyn Array,
    offsets: &[O],
    r: usize,
) -> Result<V::Value, Error> {
    let (start, end) = item_range(offsets, r, values.len())?;
    visitor.visit_seq(Items {
        values,
        at: start,
        end,
    })
}

struct Items<'a> {
    values: &'a dyn Array,
    at: usize,
    end: usize,
}

impl<'de> de::SeqAccess<'de> for Items<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if self.at >= self.end {
            return Ok(None);
        }
        let row = self.at;
        self.at += 1;
        seed.deserialize(Cell::<false> {
            array: self.values,
            row,
        })
        .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.end - self.at)
    }
}

/// A struct cell as a map of its non-missing fields.
struct StructMap<'a> {
    fields: &'a arrow_schema::Fields,
    columns: &'a [ArrayRef],
    row: usize,
    at: usize,
    next: Option<&'a dyn Array>,
}

impl<'de> de::MapAccess<'de> for StructMap<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        while let (Some(field), Some(col)) = (self.fields.get(self.at), self.columns.get(self.at)) {
            let name = field.name().as_str();
            self.at += 1;
            if !missing(col.as_ref(), self.row) {
                self.next = Some(col.as_ref());
                return seed
                    .deserialize(de::value::BorrowedStrDeserializer::new(name))
                    .map(Some);
            }
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.next.take() {
            Some(array) => seed.deserialize(Cell::<true> {
                array,
                row: self.row,
            }),
            None => Err(err("a value without its key".to_owned())),
        }
    }
}
