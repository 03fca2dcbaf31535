//! How to reach a person or company: name, e-mail, phone and CPF/CNPJ, as given by a form or
//! a portal, checked by `validate` and put into canonical form by `normalized`.

use super::checks::{MAX_NAME_CHARS, optional_parsed, present, required_text};
use crate::error::{ErrorCode, ValidationErrors};
use crate::validation::{Document, Email, Phone};
use serde::{Deserialize, Serialize};

/// Contact data of a lead. Values are kept as received; blank strings count as absent.
///
/// ```
/// use crm_core::domain::Contact;
/// let c = Contact::new("Ana Beatriz Souza")
///     .with_email("Ana.Souza@Exemplo.COM.br")
///     .with_phone("(11) 98765-4321");
/// assert!(c.validate().is_ok());
/// let n = c.normalized().unwrap();
/// assert_eq!(n.email.as_deref(), Some("Ana.Souza@exemplo.com.br"));
/// assert_eq!(n.phone.as_deref(), Some("+5511987654321"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Full name of the person, or company name.
    pub name: String,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone number, Brazilian or foreign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// CPF (person) or CNPJ (company).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
}

impl Contact {
    /// A contact with a name only.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }

    /// With an e-mail address.
    #[must_use]
    pub fn with_email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// With a phone number.
    #[must_use]
    pub fn with_phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(phone.into());
        self
    }

    /// With a CPF or CNPJ.
    #[must_use]
    pub fn with_document(mut self, document: impl Into<String>) -> Self {
        self.document = Some(document.into());
        self
    }

    /// Every problem: a name is required, and each value given must be valid.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        self.check(&mut errors);
        errors.into_result()
    }

    pub(crate) fn check(&self, errors: &mut ValidationErrors) -> Parsed {
        required_text(errors, "name", &self.name, MAX_NAME_CHARS);
        Parsed {
            email: optional_parsed(errors, "email", &self.email, Email::parse),
            phone: optional_parsed(errors, "phone", &self.phone, Phone::parse),
            document: optional_parsed(errors, "document", &self.document, Document::parse),
        }
    }

    /// Whether an e-mail or a phone is given (valid or not).
    pub fn has_channel(&self) -> bool {
        present(&self.email).is_some() || present(&self.phone).is_some()
    }

    /// A copy in canonical form: trimmed name, e-mail with its domain lower-cased, phone in
    /// E.164, bare document; blank values become absent. Fails with every problem found.
    pub fn normalized(&self) -> Result<Contact, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let parsed = self.check(&mut errors);
        errors.into_result()?;
        Ok(Contact {
            name: self.name.split_whitespace().collect::<Vec<_>>().join(" "),
            email: parsed.email.map(|e| e.as_str().to_owned()),
            phone: parsed.phone.map(|p| p.as_str().to_owned()),
            document: parsed.document.map(|d| d.as_str().to_owned()),
        })
    }
}

/// The parsed values of a contact, for records that check more about them.
pub(crate) struct Parsed {
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    pub document: Option<Document>,
}

/// Adds a problem when neither channel is usable.
pub(crate) fn require_channel(errors: &mut ValidationErrors, path: &str, contact: &Contact) {
    errors.ensure(
        contact.has_channel(),
        path,
        ErrorCode::LeadContactMissing,
        "an e-mail or a phone is required to reach the lead",
    );
}
