//! A "CPF or CNPJ" field, told apart by length.

use super::shared::string_serde;
use super::{Cnpj, Cpf};
use crate::error::{ErrorCode, FieldError};
use std::fmt;

/// A taxpayer document: a [`Cpf`] (11 digits, a person) or a [`Cnpj`] (14 characters, a
/// company), for fields that take either.
///
/// Parsing counts the letters and digits after dropping the separators (`.`, `-`, `/`,
/// space): 11 parses a CPF, 14 a CNPJ (each with its own error codes), anything else is
/// [`ErrorCode::DocumentLength`]; a blank input is [`ErrorCode::Required`]. Displayed masked,
/// serialised bare.
///
/// ```
/// use crm_core::{Document, ErrorCode};
/// let doc = Document::parse("529.982.247-25").unwrap();
/// assert!(doc.is_cpf());
/// assert_eq!(doc.as_str(), "52998224725");
/// let doc = Document::parse("11.222.333/0001-81").unwrap();
/// assert!(doc.is_cnpj());
/// assert_eq!(doc.to_string(), "11.222.333/0001-81");
/// assert_eq!(Document::parse("529.982.247-24").unwrap_err().code, ErrorCode::CpfCheckDigit);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Document {
    /// A person's CPF.
    Cpf(Cpf),
    /// A company's CNPJ.
    Cnpj(Cnpj),
}

/// Which parser a trimmed input goes to.
enum Route {
    Blank,
    Cpf,
    Cnpj,
    Length(usize),
}

fn route(input: &str) -> Route {
    let s = input.trim();
    if s.is_empty() {
        return Route::Blank;
    }
    let count = s.bytes().filter(u8::is_ascii_alphanumeric).count();
    match count {
        11 => Route::Cpf,
        14 => Route::Cnpj,
        n => Route::Length(n),
    }
}

impl Document {
    /// Parses a CPF or a CNPJ, masked or bare.
    ///
    /// Errors: [`ErrorCode::Required`] when blank, [`ErrorCode::DocumentLength`] when the
    /// count of letters and digits is neither 11 nor 14, and otherwise the CPF's or CNPJ's own
    /// codes.
    ///
    /// ```
    /// use crm_core::{Document, ErrorCode};
    /// assert_eq!(Document::parse(" ").unwrap_err().code, ErrorCode::Required);
    /// let err = Document::parse("1234").unwrap_err();
    /// assert_eq!(err.code, ErrorCode::DocumentLength);
    /// assert_eq!(err.message, "expected 11 digits (CPF) or 14 characters (CNPJ), found 4");
    /// assert_eq!(Document::parse("12.ABC.345/01DE-36").unwrap_err().code, ErrorCode::CnpjCheckDigit);
    /// ```
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        match route(input) {
            Route::Blank => Err(FieldError::new(
                ErrorCode::Required,
                "a CPF or CNPJ is required",
            )),
            Route::Cpf => Cpf::parse(input).map(Document::Cpf),
            Route::Cnpj => Cnpj::parse(input).map(Document::Cnpj),
            Route::Length(found) => Err(FieldError::new(
                ErrorCode::DocumentLength,
                format!("expected 11 digits (CPF) or 14 characters (CNPJ), found {found}"),
            )),
        }
    }

    /// Whether [`Document::parse`] accepts `input`; allocates nothing.
    ///
    /// ```
    /// use crm_core::Document;
    /// assert!(Document::is_valid("52998224725"));
    /// assert!(Document::is_valid("12ABC34501DE35"));
    /// assert!(!Document::is_valid("1234567890"));
    /// ```
    pub fn is_valid(input: &str) -> bool {
        match route(input) {
            Route::Cpf => Cpf::is_valid(input),
            Route::Cnpj => Cnpj::is_valid(input),
            Route::Blank | Route::Length(_) => false,
        }
    }

    /// The code [`Document::parse`] would fail with (`None` when valid), without building its
    /// message.
    ///
    /// ```
    /// use crm_core::{Document, ErrorCode};
    /// assert_eq!(Document::error_code("1234"), Some(ErrorCode::DocumentLength));
    /// assert_eq!(Document::error_code("12ABC34501DE35"), None);
    /// ```
    pub fn error_code(input: &str) -> Option<ErrorCode> {
        match route(input) {
            Route::Blank => Some(ErrorCode::Required),
            Route::Cpf => Cpf::error_code(input),
            Route::Cnpj => Cnpj::error_code(input),
            Route::Length(_) => Some(ErrorCode::DocumentLength),
        }
    }

    /// The bare form: 11 digits or 14 characters.
    ///
    /// ```
    /// use crm_core::Document;
    /// assert_eq!(Document::parse("11.222.333/0001-81").unwrap().as_str(), "11222333000181");
    /// ```
    pub fn as_str(&self) -> &str {
        match self {
            Document::Cpf(cpf) => cpf.as_str(),
            Document::Cnpj(cnpj) => cnpj.as_str(),
        }
    }

    /// The masked form (the same as `Display`).
    ///
    /// ```
    /// use crm_core::Document;
    /// assert_eq!(Document::parse("52998224725").unwrap().formatted(), "529.982.247-25");
    /// ```
    pub fn formatted(&self) -> String {
        self.to_string()
    }

    /// Whether this is a CPF (a person).
    ///
    /// ```
    /// use crm_core::Document;
    /// assert!(Document::parse("529.982.247-25").unwrap().is_cpf());
    /// ```
    pub fn is_cpf(&self) -> bool {
        matches!(self, Document::Cpf(_))
    }

    /// Whether this is a CNPJ (a company).
    ///
    /// ```
    /// use crm_core::Document;
    /// assert!(Document::parse("12.ABC.345/01DE-35").unwrap().is_cnpj());
    /// ```
    pub fn is_cnpj(&self) -> bool {
        matches!(self, Document::Cnpj(_))
    }
}

impl From<Cpf> for Document {
    fn from(cpf: Cpf) -> Self {
        Document::Cpf(cpf)
    }
}

impl From<Cnpj> for Document {
    fn from(cnpj: Cnpj) -> Self {
        Document::Cnpj(cnpj)
    }
}

impl fmt::Display for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Document::Cpf(cpf) => cpf.fmt(f),
            Document::Cnpj(cnpj) => cnpj.fmt(f),
        }
    }
}

string_serde!(
    Document,
    as_str,
    "a CPF or CNPJ as a string, such as \"529.982.247-25\""
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_code_is_the_code_parse_fails_with() {
        for s in [
            "",
            " ",
            "1234",
            "52998224725",
            "529.982.247-24",
            "12ABC34501DE35",
            "11.222.333/0001-82",
            "x",
        ] {
            assert_eq!(
                Document::error_code(s),
                Document::parse(s).err().map(|e| e.code),
                "{s}"
            );
        }
    }

    fn code(input: &str) -> Option<ErrorCode> {
        Document::parse(input).err().map(|e| e.code)
    }

    #[test]
    fn routes_by_length() {
        assert!(Document::parse("529.982.247-25").is_ok_and(|d| d.is_cpf()));
        assert!(Document::parse("11.222.333/0001-81").is_ok_and(|d| d.is_cnpj()));
        assert!(Document::parse("12.abc.345/01de-35").is_ok_and(|d| d.is_cnpj()));
        assert_eq!(code(""), Some(ErrorCode::Required));
        assert_eq!(code("\t"), Some(ErrorCode::Required));
        assert_eq!(code("123"), Some(ErrorCode::DocumentLength));
        assert_eq!(code("529.982.247-2"), Some(ErrorCode::DocumentLength));
        assert_eq!(code("11.222.333/0001-8"), Some(ErrorCode::DocumentLength));
        assert_eq!(code("-./"), Some(ErrorCode::DocumentLength));
    }

    #[test]
    fn errors_pass_through() {
        assert_eq!(code("529.982.247-24"), Some(ErrorCode::CpfCheckDigit));
        assert_eq!(code("111.111.111-11"), Some(ErrorCode::CpfRepeated));
        // 11 letters and digits, but a CPF has no letters and no slash
        assert_eq!(code("529.982.247-2A"), Some(ErrorCode::CpfCharacter));
        assert_eq!(code("529/982/247-25"), Some(ErrorCode::CpfCharacter));
        // a stray character is not counted, so the CPF parser reports it
        assert_eq!(code("529.982.247-25#"), Some(ErrorCode::CpfCharacter));
        assert_eq!(code("11.222.333/0001-82"), Some(ErrorCode::CnpjCheckDigit));
        assert_eq!(code("00.000.000/0000-00"), Some(ErrorCode::CnpjRepeated));
        assert_eq!(code("11.222.333/0001-8X"), Some(ErrorCode::CnpjCharacter));
    }

    #[test]
    fn traits() {
        let cpf = Cpf::parse("52998224725").ok().map(Document::from);
        assert_eq!(Document::parse("529.982.247-25").ok(), cpf);
        let cnpj = Cnpj::parse("11222333000181").ok().map(Document::from);
        assert_eq!(
            cnpj.map(|d| d.to_string()).as_deref(),
            Some("11.222.333/0001-81")
        );
        let json = cnpj.and_then(|d| serde_json::to_string(&d).ok());
        assert_eq!(json.as_deref(), Some(r#""11222333000181""#));
        assert_eq!(
            serde_json::from_str::<Document>(r#""11.222.333/0001-81""#).ok(),
            cnpj
        );
        assert!(serde_json::from_str::<Document>(r#""1234""#).is_err());
        assert_eq!("52998224725".parse::<Document>().ok(), cpf);
    }
}
