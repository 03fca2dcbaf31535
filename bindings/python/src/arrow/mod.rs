//! Tables through the Arrow PyCapsule interface: any object with `__arrow_c_stream__` (a
//! pandas ≥ 2.2 or polars DataFrame, a pyarrow Table or RecordBatchReader, …) is read without
//! converting its cells to Python objects, and results go back as an [`ArrowTable`] that
//! pandas, polars and pyarrow take the same way.

mod cells;
pub mod columns;
use cells::ArrowCells;

pub use arrow_array::ffi_stream::{FFI_ArrowArrayStream, RecordBatchStreamReader};
use arrow_array::{RecordBatch, RecordBatchIterator};
use arrow_schema::SchemaRef;
use pyo3::prelude::*;
use pyo3::types::PyCapsule;
use realestate_crm::host::HostError;
use realestate_crm::host::rows::{Layout, read_rows};
use std::ffi::CStr;

const STREAM: &CStr = c"arrow_array_stream";

/// A table read from an Arrow stream: its schema and every record batch.
pub struct Table {
    /// The columns' names and types.
    pub schema: SchemaRef,
    /// The data, in order.
    pub batches: Vec<RecordBatch>,
}

/// Whether `obj` hands out Arrow data (`__arrow_c_stream__`).
pub fn is_arrow(obj: &Bound<'_, PyAny>) -> bool {
    obj.hasattr("__arrow_c_stream__").unwrap_or(false)
}

/// Reads every batch of `obj.__arrow_c_stream__()`. A Python error raised by the producer
/// (pandas without pyarrow, a column pyarrow cannot type) passes through as it is, so callers
/// can fall back to reading rows; a broken stream is an `input.json` error.
pub fn import(obj: &Bound<'_, PyAny>) -> PyResult<Result<Table, HostError>> {
    let capsule = obj.call_method0("__arrow_c_stream__")?;
    let capsule = capsule.cast_into::<PyCapsule>()?;
    let ptr = pyo3::types::PyCapsuleMethods::pointer_checked(&capsule, Some(STREAM))?;
    // SAFETY: the capsule is named `arrow_array_stream`, so by the Arrow PyCapsule interface
    // it holds a valid FFI_ArrowArrayStream; `from_raw` moves it out and leaves a released
    // stream behind, which the capsule's destructor then ignores.
    let stream = unsafe { FFI_ArrowArrayStream::from_raw(ptr.as_ptr().cast()) };
    Ok(read_stream(stream))
}

fn read_stream(stream: FFI_ArrowArrayStream) -> Result<Table, HostError> {
    let bad = |e: arrow_schema::ArrowError| {
        HostError::input("", format!("cannot read the Arrow data: {e}"))
    };
    let reader = RecordBatchStreamReader::try_new(stream).map_err(bad)?;
    let schema = arrow_array::RecordBatchReader::schema(&reader);
    let batches = reader.collect::<Result<Vec<_>, _>>().map_err(bad)?;
    Ok(Table { schema, batches })
}

impl Table {
    /// The index of the column named `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.schema.index_of(name).ok()
    }

    /// One record per row: dotted column names nest (`contact.email`), nulls and NaN leave a
    /// field out, pandas' stored index (`__index_level_0__`) is ignored. Read on several
    /// threads for large tables; the first row that does not read is the error
    /// (`[12].contact.email`).
    pub fn records<T: serde::de::DeserializeOwned + Send>(&self) -> Result<Vec<T>, HostError> {
        let (layout, cells) = self.rows();
        read_rows(&layout, cells.rows(), &cells)
    }

    /// The table's rows for the facade's row readers: the nesting of the column names and the
    /// cells (see [`Self::records`]).
    pub fn rows(&self) -> (Layout, ArrowCells) {
        let (names, columns): (Vec<&str>, Vec<usize>) = self
            .schema
            .fields()
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.name().starts_with("__index_level_"))
            .map(|(i, f)| (f.name().as_str(), i))
            .unzip();
        (
            Layout::new(&names),
            ArrowCells::new(&self.batches, &columns),
        )
    }
}

/// Reads a table argument as records: Arrow data when the object offers it (read in parallel
/// from its buffers, with the interpreter released), else `rows(obj)`. A producer that fails
/// to hand out Arrow data raises its own Python error.
pub fn records_of<T: serde::de::DeserializeOwned + Send>(
    obj: &Bound<'_, PyAny>,
    rows: impl FnOnce(&Bound<'_, PyAny>) -> Result<Vec<T>, HostError>,
) -> PyResult<Result<Vec<T>, HostError>> {
    if is_arrow(obj) {
        let table = import(obj)?;
        return Ok(obj
            .py()
            .detach(|| realestate_crm::host::guard(|| table.and_then(|t| t.records()))));
    }
    Ok(rows(obj))
}

/// Results as Arrow data: pass it to `pyarrow.table()`, `polars.DataFrame()` or
/// `pandas.DataFrame.from_arrow()`, which read it through `__arrow_c_stream__` without copies.
#[pyclass(frozen, module = "realestate_crm._native")]
pub struct ArrowTable {
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
}

impl ArrowTable {
    /// A table of these batches (all of `schema`).
    pub fn new(schema: SchemaRef, batches: Vec<RecordBatch>) -> Self {
        Self { schema, batches }
    }
}

#[pymethods]
impl ArrowTable {
    /// The Arrow PyCapsule interface: a new stream over the table's batches (the data is
    /// shared, not copied). A `requested_schema` is not supported and is ignored, as the
    /// protocol allows.
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let batches: Vec<Result<RecordBatch, arrow_schema::ArrowError>> =
            self.batches.iter().cloned().map(Ok).collect();
        let reader = RecordBatchIterator::new(batches, self.schema.clone());
        PyCapsule::new_with_value(py, FFI_ArrowArrayStream::new(Box::new(reader)), STREAM)
    }

    /// The number of rows.
    fn __len__(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    /// The column names, in order.
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.schema
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    fn __repr__(&self) -> String {
        format!(
            "ArrowTable({} rows: {})",
            self.__len__(),
            self.column_names().join(", ")
        )
    }
}
