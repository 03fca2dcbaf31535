//! Core records read straight from Python objects with serde: `dict`, `list`, `tuple`, `str`,
//! `int`, `bool` and `None` are handed to the record's deserializer as they are, without a JSON
//! tree built first; any other object (`Decimal`, `date`, `datetime`, `UUID`, enums, records,
//! numpy scalars, floats) is converted exactly as [`to_json`] converts it. Numbers reach the
//! deserializer as JSON numbers do (non-negative integers as `u64`).
//!
//! Only the fast path: [`crate::api::load`] reads an object that fails here again through
//! [`to_json`], so errors (codes, messages, paths) are that path's.

use crate::convert::{MAX_DEPTH, Options, text, to_json};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt, PyList, PyString, PyTuple};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde_json::Error;

/// A Python object as a serde deserializer, `depth` containers deep.
pub struct PyDe<'a, 'py> {
    obj: &'a Bound<'py, PyAny>,
    depth: usize,
}

impl<'a, 'py> PyDe<'a, 'py> {
    /// The deserializer of a whole object.
    pub fn new(obj: &'a Bound<'py, PyAny>) -> Self {
        Self { obj, depth: 0 }
    }
}

fn fail(message: impl std::fmt::Display) -> Error {
    de::Error::custom(message)
}

/// The object as [`to_json`] converts it (for every type this module does not read itself).
/// An iterator (a generator, say) is left to the JSON path whole: it can be read only once.
fn json(obj: &Bound<'_, PyAny>) -> Result<serde_json::Value, Error> {
    if obj.hasattr("__next__").unwrap_or(true) {
        return Err(fail("an iterator is read once, through its JSON form"));
    }
    to_json(obj, Options::default()).map_err(|e| fail(e.message))
}

impl<'de> de::Deserializer<'de> for PyDe<'_, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let (obj, depth) = (self.obj, self.depth);
        if depth > MAX_DEPTH {
            return Err(fail("nested too deep"));
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return match text(s).map_err(|e| fail(e.message))? {
                std::borrow::Cow::Borrowed(t) => visitor.visit_str(t),
                std::borrow::Cow::Owned(t) => visitor.visit_string(t),
            };
        }
        if let Ok(d) = obj.cast::<PyDict>() {
            let mut map = Entries {
                items: d.iter(),
                value: None,
                depth: depth + 1,
            };
            let out = visitor.visit_map(&mut map)?;
            return match map.items.next() {
                None => Ok(out),
                Some(_) => Err(fail("fewer entries in the map")),
            };
        }
        if let Ok(l) = obj.cast::<PyList>() {
            return items(visitor, l.iter(), depth + 1);
        }
        if let Ok(t) = obj.cast::<PyTuple>() {
            return items(visitor, t.iter(), depth + 1);
        }
        if obj.is_none() {
            return visitor.visit_unit();
        }
        if let Ok(b) = obj.cast::<PyBool>() {
            return visitor.visit_bool(b.is_true());
        }
        if obj.is_instance_of::<PyInt>() {
            if let Ok(i) = obj.extract::<i64>() {
                return match u64::try_from(i) {
                    Ok(u) => visitor.visit_u64(u),
                    Err(_) => visitor.visit_i64(i),
                };
            }
            if let Ok(u) = obj.extract::<u64>() {
                return visitor.visit_u64(u);
            }
        }
        de::Deserializer::deserialize_any(json(obj)?, visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.obj.is_none() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if let Ok(s) = self.obj.cast::<PyString>() {
            let t = text(s).map_err(|e| fail(e.message))?;
            return visitor.visit_enum(t.into_owned().into_deserializer());
        }
        de::Deserializer::deserialize_enum(json(self.obj)?, name, variants, visitor)
    }

    /// A value the record ignores is still read through, so it fails where [`to_json`] would.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(de::IgnoredAny)?;
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

/// A list's or tuple's items as a sequence; every item must be read.
fn items<'de, 'py, V: Visitor<'de>>(
    visitor: V,
    iter: impl Iterator<Item = Bound<'py, PyAny>>,
    depth: usize,
) -> Result<V::Value, Error> {
    let mut seq = Items { iter, depth };
    let out = visitor.visit_seq(&mut seq)?;
    match seq.iter.next() {
        None => Ok(out),
        Some(_) => Err(fail("fewer elements in the sequence")),
    }
}

struct Items<I> {
    iter: I,
    depth: usize,
}

impl<'de, 'py, I: Iterator<Item = Bound<'py, PyAny>>> de::SeqAccess<'de> for Items<I> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.iter.next() {
            Some(item) => seed
                .deserialize(PyDe {
                    obj: &item,
                    depth: self.depth,
                })
                .map(Some),
            None => Ok(None),
        }
    }
}

/// A dict's entries as a map; keys must be `str`.
struct Entries<'py> {
    items: pyo3::types::iter::BoundDictIterator<'py>,
    value: Option<Bound<'py, PyAny>>,
    depth: usize,
}

impl<'de> de::MapAccess<'de> for Entries<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.items.next() else {
            return Ok(None);
        };
        let key = key
            .cast::<PyString>()
            .map_err(|_| fail("a mapping key must be a str"))?;
        let key = text(key).map_err(|e| fail(e.message))?;
        self.value = Some(value);
        seed.deserialize(de::value::StrDeserializer::<Error>::new(key.as_ref()))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(PyDe {
                obj: &value,
                depth: self.depth,
            }),
            None => Err(fail("a value without its key")),
        }
    }
}
