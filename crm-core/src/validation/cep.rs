//! CEP (Código de Endereçamento Postal), the Brazilian postal code.

use super::Uf;
use super::shared::{quoted_char_at, string_serde};
use crate::error::{ErrorCode, FieldError};
use std::fmt;

/// A syntactically valid CEP, kept as its 8 bare digits.
///
/// Parsing trims the input, drops the separators (`-`, `.`, space), needs exactly 8 digits and
/// refuses values below `01000-000`, where no code is assigned. Whether the CEP exists needs a
/// lookup service, which belongs to the host. Displayed masked (`01310-100`), serialised bare
/// (`"01310100"`).
///
/// ```
/// use crm_core::{Cep, Uf};
/// let cep = Cep::parse("01.310-100").unwrap();
/// assert_eq!(cep.as_str(), "01310100");
/// assert_eq!(cep.to_string(), "01310-100");
/// assert_eq!(cep.uf(), Some(Uf::Sp));
/// assert_eq!(serde_json::to_string(&cep).unwrap(), r#""01310100""#);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cep([u8; 8]);

/// Why a CEP was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Empty,
    /// Byte offset, in the trimmed input, of the first character not allowed.
    Character(usize),
    /// How many digits were found.
    Length(usize),
    Range,
}

impl Cep {
    /// Parses a CEP, masked or bare.
    ///
    /// Errors, in the order checked: [`ErrorCode::CepEmpty`], [`ErrorCode::CepCharacter`],
    /// [`ErrorCode::CepLength`], [`ErrorCode::CepRange`].
    ///
    /// ```
    /// use crm_core::{Cep, ErrorCode};
    /// assert!(Cep::parse("20040-020").is_ok());
    /// assert_eq!(Cep::parse("2004-020").unwrap_err().message, "expected 8 digits, found 7");
    /// assert_eq!(Cep::parse("00999-999").unwrap_err().code, ErrorCode::CepRange);
    /// ```
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        scan(input).map_err(|fault| fault.into_error(input))
    }

    /// Whether [`Cep::parse`] accepts `input`; allocates nothing.
    ///
    /// ```
    /// use crm_core::Cep;
    /// assert!(Cep::is_valid("70040010"));
    /// assert!(!Cep::is_valid("70040-01O"));
    /// ```
    pub fn is_valid(input: &str) -> bool {
        scan(input).is_ok()
    }

    /// The 8 bare digits.
    ///
    /// ```
    /// use crm_core::Cep;
    /// assert_eq!(Cep::parse("01310-100").unwrap().as_str(), "01310100");
    /// ```
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored, so this never falls back.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The masked form, `00000-000` (the same as `Display`).
    ///
    /// ```
    /// use crm_core::Cep;
    /// assert_eq!(Cep::parse("01310100").unwrap().formatted(), "01310-100");
    /// ```
    pub fn formatted(&self) -> String {
        self.to_string()
    }

    /// The UF whose Correios range holds this CEP, `None` for a gap between ranges (see
    /// [`Uf::from_cep_prefix`]).
    ///
    /// ```
    /// use crm_core::{Cep, Uf};
    /// assert_eq!(Cep::parse("70040-010").unwrap().uf(), Some(Uf::Df));
    /// assert_eq!(Cep::parse("90010-000").unwrap().uf(), Some(Uf::Rs));
    /// assert_eq!(Cep::parse("78950-000").unwrap().uf(), None);
    /// ```
    pub fn uf(&self) -> Option<Uf> {
        let prefix = self
            .0
            .iter()
            .take(5)
            .fold(0u32, |acc, &d| acc * 10 + u32::from(d.wrapping_sub(b'0')));
        Uf::from_cep_prefix(prefix)
    }
}

fn scan(input: &str) -> Result<Cep, Fault> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Fault::Empty);
    }
    let mut digits = [0u8; 8];
    let mut count = 0usize;
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'0'..=b'9' => {
                if let Some(slot) = digits.get_mut(count) {
                    *slot = b;
                }
                count = count.saturating_add(1);
            }
            b'-' | b'.' | b' ' => {}
            _ => return Err(Fault::Character(i)),
        }
    }
    if count != 8 {
        return Err(Fault::Length(count));
    }
    // Below 01000-000 means the first two digits are 00.
    if let [b'0', b'0', ..] = digits {
        return Err(Fault::Range);
    }
    Ok(Cep(digits))
}

impl Fault {
    fn into_error(self, input: &str) -> FieldError {
        let (code, message) = match self {
            Fault::Empty => (ErrorCode::CepEmpty, String::from("the CEP is blank")),
            Fault::Character(at) => (
                ErrorCode::CepCharacter,
                format!(
                    "a CEP holds only digits and the separators - . and space; found {}",
                    quoted_char_at(input.trim(), at)
                ),
            ),
            Fault::Length(found) => (
                ErrorCode::CepLength,
                format!("expected 8 digits, found {found}"),
            ),
            Fault::Range => (
                ErrorCode::CepRange,
                String::from("no CEP is assigned below 01000-000"),
            ),
        };
        FieldError::new(code, message)
    }
}

impl fmt::Display for Cep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.as_str();
        write!(
            f,
            "{}-{}",
            s.get(..5).unwrap_or_default(),
            s.get(5..).unwrap_or_default()
        )
    }
}

impl fmt::Debug for Cep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Cep").field(&self.as_str()).finish()
    }
}

string_serde!(Cep, as_str, "a CEP as a string, such as \"01310-100\"");

#[cfg(test)]
mod tests {
    use super::*;

    fn code(input: &str) -> Option<ErrorCode> {
        Cep::parse(input).err().map(|e| e.code)
    }

    #[test]
    fn accepts_masks() {
        for input in ["01310-100", "01310100", " 01.310-100 ", "01 310 100"] {
            let cep = Cep::parse(input).ok();
            assert_eq!(
                cep.map(|c| c.formatted()).as_deref(),
                Some("01310-100"),
                "{input}"
            );
            assert!(Cep::is_valid(input));
        }
    }

    #[test]
    fn every_error_code() {
        assert_eq!(code(""), Some(ErrorCode::CepEmpty));
        assert_eq!(code("\u{2028}"), Some(ErrorCode::CepEmpty));
        assert_eq!(code("01310/100"), Some(ErrorCode::CepCharacter));
        assert_eq!(code("O1310-100"), Some(ErrorCode::CepCharacter));
        assert_eq!(code("0131-100"), Some(ErrorCode::CepLength));
        assert_eq!(code("01310-1000"), Some(ErrorCode::CepLength));
        assert_eq!(code("00000-000"), Some(ErrorCode::CepRange));
        assert_eq!(code("00999-999"), Some(ErrorCode::CepRange));
        assert_eq!(code("01000-000"), None);
        // character before length
        assert_eq!(code("1x"), Some(ErrorCode::CepCharacter));
    }

    #[test]
    fn messages() {
        let msg = |s: &str| Cep::parse(s).err().map(|e| e.message).unwrap_or_default();
        assert_eq!(msg("0131"), "expected 8 digits, found 4");
        assert_eq!(
            msg("01310_100"),
            "a CEP holds only digits and the separators - . and space; found '_'"
        );
        assert_eq!(msg("00100-000"), "no CEP is assigned below 01000-000");
    }

    #[test]
    fn states() {
        let uf = |s: &str| Cep::parse(s).ok().and_then(|c| c.uf());
        assert_eq!(uf("01000-000"), Some(Uf::Sp));
        assert_eq!(uf("19999-999"), Some(Uf::Sp));
        assert_eq!(uf("20000-000"), Some(Uf::Rj));
        assert_eq!(uf("69301-000"), Some(Uf::Rr));
        assert_eq!(uf("72800-000"), Some(Uf::Go));
        assert_eq!(uf("73000-000"), Some(Uf::Df));
        assert_eq!(uf("78900-000"), None);
        assert_eq!(uf("99999-999"), Some(Uf::Rs));
    }

    #[test]
    fn traits() {
        let cep = Cep::parse("01310-100").ok();
        assert_eq!(
            cep.map(|c| format!("{c:?}")).as_deref(),
            Some(r#"Cep("01310100")"#)
        );
        assert_eq!("01310100".parse::<Cep>().ok(), cep);
        assert_eq!(serde_json::from_str::<Cep>(r#""01310-100""#).ok(), cep);
        assert!(serde_json::from_str::<Cep>(r#""0131""#).is_err());
    }
}
