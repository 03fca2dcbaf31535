//! A result's top-level fields, each written as JSON text: writing text is several times
//! cheaper than building (and later freeing) a `serde_json::Value` tree, and a field is only
//! read back into a value when Python asks for it.

use serde::Serialize;
use serde::ser::{self, Impossible, SerializeMap, SerializeStruct};

/// The top-level fields of a struct or map, in order, each as JSON text; `None` when the value
/// is not a struct or a map (it is then kept whole).
pub fn fields_as_text<T: Serialize + ?Sized>(value: &T) -> Option<Vec<(String, String)>> {
    value.serialize(TopLevel).ok()
}

struct TopLevel;

/// A struct or map being written field by field.
pub struct Fields {
    out: Vec<(String, String)>,
    key: Option<String>,
}

type Fail = serde_json::Error;

fn not_a_record<T>() -> Result<T, Fail> {
    Err(ser::Error::custom("not a record"))
}

impl SerializeStruct for Fields {
    type Ok = Vec<(String, String)>;
    type Error = Fail;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Fail> {
        self.out
            .push((key.to_owned(), serde_json::to_string(value)?));
        Ok(())
    }

    fn end(self) -> Result<Self::Ok, Fail> {
        Ok(self.out)
    }
}

impl SerializeMap for Fields {
    type Ok = Vec<(String, String)>;
    type Error = Fail;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Fail> {
        match serde_json::to_value(key)? {
            serde_json::Value::String(s) => {
                self.key = Some(s);
                Ok(())
            }
            _ => not_a_record(),
        }
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Fail> {
        match self.key.take() {
            Some(k) => {
                self.out.push((k, serde_json::to_string(value)?));
                Ok(())
            }
            None => not_a_record(),
        }
    }

    fn end(self) -> Result<Self::Ok, Fail> {
        Ok(self.out)
    }
}

impl ser::Serializer for TopLevel {
    type Ok = Vec<(String, String)>;
    type Error = Fail;
    type SerializeSeq = Impossible<Self::Ok, Fail>;
    type SerializeTuple = Impossible<Self::Ok, Fail>;
    type SerializeTupleStruct = Impossible<Self::Ok, Fail>;
    type SerializeTupleVariant = Impossible<Self::Ok, Fail>;
    type SerializeMap = Fields;
    type SerializeStruct = Fields;
    type SerializeStructVariant = Impossible<Self::Ok, Fail>;

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Fields, Fail> {
        Ok(Fields {
            out: Vec::with_capacity(len),
            key: None,
        })
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Fields, Fail> {
        Ok(Fields {
            out: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
        })
    }

    fn serialize_bool(self, _: bool) -> Result<Self::Ok, Fail> {
        not_a_record()
    }
    fn serialize_i8(self, _: i8) -> Result<Self::Ok, Fail> {
        not_a_record()
    }
    fn serialize_i16(self, _: i16) -> Result<Self::Ok, Fail> {
        not_a_record()
    }
    fn serialize_i32(self, _: i32) -> Result<Self::Ok, Fail> {
        not_a_record()
    }
    fn serialize_i64(self, _: i64) -> Result<Self::Ok, Fail> {
        not_a_record()
    }
    fn serialize_u8(self, _: u8) -> Result<Self::Ok, Fail> {
        not_a_record()
    }
    fn serialize_u16(self, _: u16) -> Result<Self::Ok, Fail> {
        not_a_record()
    }
    fn serialize_u32(self, _: u32) -> Result<Self::Ok, Fail> {
        not_a_record()
    }
    fn serialize_u64(self, _: u64) -> Result<Self::Ok, Fail> {
        not_a_record()
    }
    fn serialize_f32(self, _: f32) -> Result<Self::Ok, Fail> {
        not_a_record()
    }
    fn serialize_f64(self, _: f64) -> Result<Self::Ok, Fail> {
        not_a_record()
    }
    fn serialize_char(self, _: char) -> Result<Self::Ok, Fail> {
        not_a_record()
    }
    fn serialize_str(self, _: &str) -> Result<Self::Ok, Fail> {
        not_a_record()
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Self::Ok, Fail> {
        not_a_record()
    }
    fn serialize_none(self) -> Result<Self::Ok, Fail> {
        not_a_record()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok, Fail> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Self::Ok, Fail> {
        not_a_record()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Self::Ok, Fail> {
        not_a_record()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<Self::Ok, Fail> {
        not_a_record()
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Self::Ok, Fail> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Self::Ok, Fail> {
        not_a_record()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Fail> {
        not_a_record()
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Fail> {
        not_a_record()
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Fail> {
        not_a_record()
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Fail> {
        not_a_record()
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Fail> {
        not_a_record()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Line {
        role: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<u8>,
        amounts: Vec<u32>,
    }

    #[test]
    fn structs_split_into_their_fields_and_others_stay_whole() {
        let got = fields_as_text(&Line {
            role: "agency",
            note: None,
            amounts: vec![1, 2],
        });
        assert_eq!(
            got,
            Some(vec![
                ("role".to_owned(), "\"agency\"".to_owned()),
                ("amounts".to_owned(), "[1,2]".to_owned())
            ])
        );
        assert_eq!(fields_as_text(&vec![1, 2]), None);
        assert_eq!(fields_as_text(&Some(5)), None);
    }
}
