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

/// A table's cells as the row reader sees them: a cell with a value, as a serde deserializer
/// (a missing cell leaves its field out). JSON cells implement it here; a binding implements
/// it over its host's columns (Arrow arrays in Python) so records are read straight from them.
pub trait Cells: Sync {
    /// A cell with a value, read by serde.
    type Cell<'a>: serde::Deserializer<'a, Error = serde_json::Error>
    where
        Self: 'a;
    /// The cell of column `col` in `row`, `None` when it has no value. Found once per field:
    /// the reader keeps it between seeing that the field is there and reading it.
    fn cell(&self, col: usize, row: usize) -> Option<Self::Cell<'_>>;
}

/// JSON cells by column: `None` is a missing value.
pub(crate) struct JsonCells<'a>(pub(crate) &'a [Vec<Option<Value>>]);

impl Cells for JsonCells<'_> {
    type Cell<'c>
        = &'c Value
    where
        Self: 'c;

    fn cell(&self, col: usize, row: usize) -> Option<&Value> {
        self.0.get(col)?.get(row)?.as_ref()
    }
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
    let rows = columns.first().map_or(0, Vec::len);
    read_rows(&Layout::new(names), rows, &JsonCells(&columns))
}

/// Reads `rows` records through `layout` from any [`Cells`], on several threads for large
/// tables, in order. The first row that does not read is the error, its path prefixed with the
/// row (`[12].contact.email`).
pub fn read_rows<T, C>(layout: &Layout, rows: usize, cells: &C) -> Result<Vec<T>, super::HostError>
where
    T: serde::de::DeserializeOwned + Send,
    C: Cells,
{
    let parts = super::batch::on_cores(rows, |range| read_range(layout, range, cells));
    let parts = parts.into_iter().collect::<Result<Vec<_>, _>>()?;
    Ok(super::batch::concat(parts, rows))
}

/// Reads the records of `range` through `layout`, on the calling thread; the first row that
/// does not read is the error, its path prefixed with the row (`[12].contact.email`).
pub fn read_range<T, C>(
    layout: &Layout,
    range: std::ops::Range<usize>,
    cells: &C,
) -> Result<Vec<T>, super::HostError>
where
    T: serde::de::DeserializeOwned,
    C: Cells,
{
    let mut out = Vec::with_capacity(range.len());
    for r in range {
        let de = RowDe {
            level: &layout.root,
            row: r,
            cells,
        };
        // Fast path: read the record straight from the cells. Only a row that fails is read
        // again with path tracking, for its error.
        match T::deserialize(de) {
            Ok(v) => out.push(v),
            Err(first) => {
                let de = RowDe {
                    level: &layout.root,
                    row: r,
                    cells,
                };
                let err = match serde_path_to_error::deserialize::<_, T>(de) {
                    Ok(_) => super::HostError::from(first),
                    Err(e) => super::HostError::from(e),
                };
                return Err(err.at(&format!("[{r}]")));
            }
        }
    }
    Ok(out)
}

/// A row read in place: a nested map over the layout whose leaves are the cells themselves,
/// so reading a record builds no intermediate JSON object.
struct RowDe<'a, C> {
    level: &'a [(String, Node)],
    row: usize,
    cells: &'a C,
}

fn present<C: Cells>(node: &Node, row: usize, cells: &C) -> bool {
    match node {
        Node::Column(c) => cells.cell(*c, row).is_some(),
        Node::Group(children) => children.iter().any(|(_, n)| present(n, row, cells)),
    }
}

impl<'de, C: Cells> serde::Deserializer<'de> for RowDe<'de, C> {
    type Error = serde_json::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_map(RowMap {
            entries: self.level.iter(),
            row: self.row,
            cells: self.cells,
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

/// What the reader found for the field whose key it just gave: a cell, or a group of columns.
enum Next<'a, C: Cells + 'a> {
    Cell(C::Cell<'a>),
    Group(&'a [(String, Node)]),
}

struct RowMap<'a, C: Cells + 'a> {
    entries: std::slice::Iter<'a, (String, Node)>,
    row: usize,
    cells: &'a C,
    next: Option<Next<'a, C>>,
}

impl<'de, C: Cells> serde::de::MapAccess<'de> for RowMap<'de, C> {
    type Error = serde_json::Error;

    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        for (name, node) in self.entries.by_ref() {
            let next = match node {
                Node::Column(c) => self.cells.cell(*c, self.row).map(Next::Cell),
                Node::Group(children) => children
                    .iter()
                    .any(|(_, n)| present(n, self.row, self.cells))
                    .then_some(Next::Group(children)),
            };
            if next.is_some() {
                self.next = next;
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
            Some(Next::Cell(cell)) => seed.deserialize(cell),
            Some(Next::Group(children)) => seed.deserialize(RowDe {
                level: children,
                row: self.row,
                cells: self.cells,
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
