//! Validating many records at once, as hosts do when they import a file or a portal feed.

use crate::error::ValidationErrors;
use serde::Serialize;

/// A record that can report every problem it has.
pub trait Validate {
    /// Every problem, each with its path; `Ok(())` when there is none.
    fn validate(&self) -> Result<(), ValidationErrors>;
}

macro_rules! impl_validate {
    ($($t:ty),+) => {$(
        impl Validate for $t {
            fn validate(&self) -> Result<(), ValidationErrors> {
                <$t>::validate(self)
            }
        }
    )+};
}

impl_validate!(
    super::Agent,
    super::Lead,
    super::Property,
    super::Deal,
    super::Visit,
    super::Activity,
    super::Contact,
    super::Address,
    super::Consent
);

/// The problems of one record in a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordProblems {
    /// The record's position in the batch.
    pub index: usize,
    /// Everything wrong with it.
    pub errors: ValidationErrors,
}

/// The outcome of validating a batch: how many records, and the problems of those that have
/// any, in batch order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct BatchReport {
    /// How many records were checked.
    pub checked: usize,
    /// The records with problems.
    pub invalid: Vec<RecordProblems>,
}

impl BatchReport {
    /// How many records had no problem.
    pub fn valid(&self) -> usize {
        self.checked - self.invalid.len()
    }

    /// How many problems in all.
    pub fn problem_count(&self) -> usize {
        self.invalid.iter().map(|r| r.errors.len()).sum()
    }
}

/// Validates every record and collects the problems, without stopping at the first bad one.
///
/// ```
/// use crm_core::domain::{Contact, validate_batch};
/// let contacts = [Contact::new("Ana"), Contact::new(""), Contact::new("Rui").with_email("rui@")];
/// let report = validate_batch(&contacts);
/// assert_eq!((report.checked, report.valid()), (3, 1));
/// assert_eq!(report.invalid[0].index, 1);
/// assert_eq!(report.invalid[1].errors.errors()[0].path, "email");
/// ```
pub fn validate_batch<T: Validate>(records: &[T]) -> BatchReport {
    let invalid = records
        .iter()
        .enumerate()
        .filter_map(|(index, r)| {
            r.validate()
                .err()
                .map(|errors| RecordProblems { index, errors })
        })
        .collect();
    BatchReport {
        checked: records.len(),
        invalid,
    }
}
