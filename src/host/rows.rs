//! Records from columns: a host holding a table (a DataFrame, Arrow data) names its columns
//! with dotted paths (`contact.email`, `budget.max.amount`) and gets one nested JSON object per
//! row, ready for [`super::from_value`].

use serde_json::{Map, Value};

/// The nesting of a set of dotted column names, built once per table.
#[derive(Debug, Clone)]
pub struct Layout {
    root: Vec<(String, Node)>,
}

#[derive(Debug, Clone)]
enum Node {
    Column(usize),
    Group(Vec<(String, Node)>),
}

impl Layout {
    /// The layout of these column names, in order. A name that is both a column and a prefix
    /// of another (`budget` and `budget.max`) keeps the column and ignores the longer one.
    ///
    /// ```
    /// use realestate_crm::host::rows::Layout;
    /// use serde_json::json;
    /// let layout = Layout::new(&["id", "contact.name", "contact.email"]);
    /// let row = layout.row(|i| Some(json!(["L1", "Ana", "ana@x.com"][i])));
    /// assert_eq!(row, json!({"id": "L1", "contact": {"name": "Ana", "email": "ana@x.com"}}));
    /// ```
    pub fn new<S: AsRef<str>>(names: &[S]) -> Self {
        let mut root: Vec<(String, Node)> = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let parts: Vec<&str> = name.as_ref().split('.').collect();
            insert(&mut root, &parts, i);
        }
        Self { root }
    }

    /// One row as a nested object; `cell(i)` gives column `i`'s value, `None` leaving the field
    /// out (so a missing optional field takes its default). A group whose fields are all left
    /// out is left out too.
    pub fn row(&self, mut cell: impl FnMut(usize) -> Option<Value>) -> Value {
        build(&self.root, &mut cell).unwrap_or_else(|| Value::Object(Map::new()))
    }
}

fn insert(level: &mut Vec<(String, Node)>, parts: &[&str], column: usize) {
    let Some((first, rest)) = parts.split_first() else {
        return;
    };
    let pos = level.iter().position(|(n, _)| n == first);
    if rest.is_empty() {
        if pos.is_none() {
            level.push(((*first).to_owned(), Node::Column(column)));
        }
        return;
    }
    let idx = match pos {
        Some(i) => i,
        None => {
            level.push(((*first).to_owned(), Node::Group(Vec::new())));
            level.len() - 1
        }
    };
    if let Some((_, Node::Group(children))) = level.get_mut(idx) {
        insert(children, rest, column);
    }
}

fn build(level: &[(String, Node)], cell: &mut impl FnMut(usize) -> Option<Value>) -> Option<Value> {
    let mut map = Map::new();
    for (name, node) in level {
        let v = match node {
            Node::Column(i) => cell(*i),
            Node::Group(children) => build(children, cell),
        };
        if let Some(v) = v {
            map.insert(name.clone(), v);
        }
    }
    (!map.is_empty()).then_some(Value::Object(map))
}

/// Reads one record per row from named columns of JSON cells (`None` leaves a field out), on
/// several threads for large tables. The first row that does not read is the error, its path
/// prefixed with the row (`[12].contact.email`).
///
/// ```
/// use realestate_crm::host::rows::records_from_columns;
/// use serde_json::json;
/// let names = ["n"];
/// let rows: Vec<std::collections::BTreeMap<String, u8>> =
///     records_from_columns(&names, vec![vec![Some(json!(1)), Some(json!(2))]]).unwrap();
/// assert_eq!(rows[1]["n"], 2);
/// ```
pub fn records_from_columns<S, T>(
    names: &[S],
    columns: Vec<Vec<Option<Value>>>,
) -> Result<Vec<T>, super::HostError>
where
    S: AsRef<str>,
    T: serde::de::DeserializeOwned + Send,
{
    let layout = Layout::new(names);
    let rows = columns.first().map_or(0, Vec::len);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = if rows < 20_000 || threads < 2 {
        rows.max(1)
    } else {
        rows.div_ceil(threads)
    };
    // Per thread: its slice of every column.
    let mut parts: Vec<Vec<&[Option<Value>]>> = Vec::new();
    for col in columns.iter() {
        for (i, piece) in col.chunks(chunk).enumerate() {
            if parts.len() <= i {
                parts.push(Vec::new());
            }
            if let Some(p) = parts.get_mut(i) {
                p.push(piece);
            }
        }
    }
    let layout = &layout;
    let read = move |start: usize, cols: Vec<&[Option<Value>]>| {
        let len = cols.first().map_or(0, |c| c.len());
        let mut out = Vec::with_capacity(len);
        for r in 0..len {
            // Fast path: read the record straight from the cells. Only a row that fails is
            // assembled as a JSON object and read again with path tracking, for its error.
            let direct = T::deserialize(RowDe {
                level: &layout.root,
                row: r,
                cols: &cols,
            });
            let record = match direct {
                Ok(v) => v,
                Err(_) => {
                    let row =
                        layout.row(|c| cols.get(c).and_then(|col| col.get(r)).cloned().flatten());
                    super::from_ref::<T>(&row).map_err(|e| e.at(&format!("[{}]", start + r)))?
                }
            };
            out.push(record);
        }
        Ok::<_, super::HostError>(out)
    };
    if parts.len() <= 1 {
        return read(0, parts.pop().unwrap_or_default());
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .into_iter()
            .enumerate()
            .map(|(i, cols)| scope.spawn(move || read(i * chunk, cols)))
            .collect();
        let mut out = Vec::with_capacity(rows);
        for h in handles {
            match h.join() {
                Ok(part) => out.extend(part?),
                Err(payload) => std::panic::resume_unwind(payload),
            }
        }
        Ok(out)
    })
}

/// A row read in place: a nested map over the layout whose leaves are the cells themselves,
/// so reading a record builds no intermediate JSON object.
struct RowDe<'a> {
    level: &'a [(String, Node)],
    row: usize,
    cols: &'a [&'a [Option<Value>]],
}

fn present(node: &Node, row: usize, cols: &[&[Option<Value>]]) -> bool {
    match node {
        Node::Column(c) => cols
            .get(*c)
            .and_then(|col| col.get(row))
            .is_some_and(Option::is_some),
        Node::Group(children) => children.iter().any(|(_, n)| present(n, row, cols)),
    }
}

impl<'de> serde::Deserializer<'de> for RowDe<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_map(RowMap {
            entries: self.level.iter(),
            row: self.row,
            cols: self.cols,
            next: None,
        })
    }

    fn deserialize_option<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_some(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct RowMap<'a> {
    entries: std::slice::Iter<'a, (String, Node)>,
    row: usize,
    cols: &'a [&'a [Option<Value>]],
    next: Option<&'a Node>,
}

impl<'de> serde::de::MapAccess<'de> for RowMap<'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        for (name, node) in self.entries.by_ref() {
            if present(node, self.row, self.cols) {
                self.next = Some(node);
                return seed
                    .deserialize(serde::de::value::BorrowedStrDeserializer::new(name))
                    .map(Some);
            }
        }
        Ok(None)
    }

    fn next_value_seed<V: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        match self.next.take() {
            Some(Node::Column(c)) => match self.cols.get(*c).and_then(|col| col.get(self.row)) {
                Some(Some(v)) => seed.deserialize(v),
                _ => seed.deserialize(&Value::Null),
            },
            Some(Node::Group(children)) => seed.deserialize(RowDe {
                level: children,
                row: self.row,
                cols: self.cols,
            }),
            None => Err(serde::de::Error::custom("a value without its key")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn large_tables_keep_row_order_and_report_the_failing_row() {
        let n = 50_000;
        let ids: Vec<Option<Value>> = (0..n).map(|i| Some(json!(i))).collect();
        let names: Vec<Option<Value>> = (0..n).map(|i| (i % 2 == 0).then(|| json!("x"))).collect();
        let rows: Vec<std::collections::BTreeMap<String, Value>> =
            records_from_columns(&["id", "a.name"], vec![ids.clone(), names.clone()])
                .unwrap_or_default();
        assert_eq!(rows.len(), n);
        assert!(
            rows.iter()
                .enumerate()
                .all(|(i, r)| r.get("id") == Some(&json!(i)))
        );
        assert_eq!(rows.get(1).map(|r| r.contains_key("a")), Some(false));
        let mut bad = ids;
        if let Some(cell) = bad.get_mut(40_000) {
            *cell = Some(json!("not a number"));
        }
        let err =
            records_from_columns::<_, std::collections::BTreeMap<String, u64>>(&["id"], vec![bad])
                .err()
                .map(|e| e.path);
        assert_eq!(err, Some(Some("[40000].id".to_owned())));
    }
}
