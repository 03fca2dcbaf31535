//! E-mail addresses, checked with the `validator` crate (the HTML5 rules).

use super::shared::string_serde;
use crate::error::{ErrorCode, FieldError};
use std::fmt;
use validator::ValidateEmail;

/// A valid e-mail address: the local part exactly as given, `@`, the domain lower-cased.
///
/// Syntax follows the HTML5 definition as the `validator` crate implements it (a local part
/// of at most 64 characters from `a-z A-Z 0-9 .!#$%&'*+/=?^_{|}~-` and the backtick, a domain
/// of at most 255 characters made of
/// labels, an IP literal in brackets, or an internationalised domain). Quoted local parts are
/// refused. [`Email::match_key`] gives a looser form for finding duplicates.
///
/// ```
/// use crm_core::Email;
/// let email = Email::parse(" Maria.Silva+crm@Example.COM.br ").unwrap();
/// assert_eq!(email.as_str(), "Maria.Silva+crm@example.com.br");
/// assert_eq!(email.match_key(), "maria.silva@example.com.br");
/// assert_eq!(serde_json::to_string(&email).unwrap(), r#""Maria.Silva+crm@example.com.br""#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email {
    value: String,
    /// Byte offset of the `@` in `value`.
    at: usize,
}

/// A fast path for the everyday address: ASCII, a local part of 1–64 characters from the HTML5
/// set, and a domain of dot-separated labels (letters, digits, inner hyphens, 1–63 characters
/// each, 255 in all). Every address it accepts, the `validator` crate accepts too (a property
/// test checks this); anything else goes to `validator` for the full rules (IP literals,
/// international domains).
fn plain_ascii_address(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    let local_ok = (1..=64).contains(&local.len())
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || LOCAL_EXTRA.contains(&b));
    let label_ok = |l: &str| {
        let b = l.as_bytes();
        (1..=63).contains(&b.len())
            && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
            && b.first().is_some_and(u8::is_ascii_alphanumeric)
            && b.last().is_some_and(u8::is_ascii_alphanumeric)
    };
    local_ok && (1..=255).contains(&domain.len()) && domain.split('.').all(label_ok)
}

/// What one pass over the bytes tells of an address (see [`everyday_address`]).
#[derive(Debug, PartialEq, Eq)]
enum Everyday {
    /// Valid and already in normal form.
    Valid,
    /// No `@` anywhere: never an address, however trimmed.
    NoAt,
    /// Not the everyday form: the full rules decide.
    Unsure,
}

/// Bytes allowed in a local part besides letters and digits (the HTML5 set).
const LOCAL_EXTRA: &[u8] = b".!#$%&'*+/=?^_`{|}~-";

/// One pass over the everyday address, without searching the text twice or decoding
/// characters: [`Everyday::Valid`] only for what [`plain_ascii_address`] accepts with a domain
/// already lower-case (so already in normal form, untrimmed).
fn everyday_address(b: &[u8]) -> Everyday {
    let Some(at) = b.iter().rposition(|&c| c == b'@') else {
        return Everyday::NoAt;
    };
    let (local, domain) = (
        b.get(..at).unwrap_or_default(),
        b.get(at + 1..).unwrap_or_default(),
    );
    let local_ok = (1..=64).contains(&local.len())
        && local
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || LOCAL_EXTRA.contains(c));
    if !local_ok || !(1..=255).contains(&domain.len()) {
        return Everyday::Unsure;
    }
    // Labels of lower-case letters, digits and inner hyphens, 1–63 bytes each.
    let mut label = 0usize;
    let mut last = b'.';
    for &c in domain {
        if c == b'.' {
            if label == 0 || last == b'-' {
                return Everyday::Unsure;
            }
            label = 0;
        } else if c.is_ascii_lowercase() || c.is_ascii_digit() || (c == b'-' && label > 0) {
            label += 1;
            if label > 63 {
                return Everyday::Unsure;
            }
        } else {
            return Everyday::Unsure;
        }
        last = c;
    }
    if label == 0 || last == b'-' {
        return Everyday::Unsure;
    }
    Everyday::Valid
}

impl Email {
    /// Parses an e-mail address.
    ///
    /// Errors: [`ErrorCode::EmailEmpty`] for a blank input, [`ErrorCode::EmailFormat`] for
    /// anything the rules refuse; the message says which part is wrong without repeating the
    /// address.
    ///
    /// ```
    /// use crm_core::{Email, ErrorCode};
    /// assert!(Email::parse("ana@imobiliaria.com.br").is_ok());
    /// let err = Email::parse("ana.imobiliaria.com.br").unwrap_err();
    /// assert_eq!(err.code, ErrorCode::EmailFormat);
    /// assert_eq!(err.message, "an e-mail address needs an @");
    /// assert_eq!(Email::parse("").unwrap_err().code, ErrorCode::EmailEmpty);
    /// ```
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(FieldError::new(
                ErrorCode::EmailEmpty,
                "the e-mail address is blank",
            ));
        }
        let Some((local, domain)) = s.rsplit_once('@') else {
            return Err(format_error("an e-mail address needs an @"));
        };
        let value = format!("{local}@{}", domain.to_lowercase());
        if plain_ascii_address(&value) || value.as_str().validate_email() {
            Ok(Email {
                value,
                at: local.len(),
            })
        } else {
            Err(diagnose(local, domain))
        }
    }

    /// Whether [`Email::parse`] accepts `input`.
    ///
    /// ```
    /// use crm_core::Email;
    /// assert!(Email::is_valid("ana@example.com"));
    /// assert!(!Email::is_valid("ana@@example.com"));
    /// assert!(!Email::is_valid("ana maria@example.com"));
    /// ```
    pub fn is_valid(input: &str) -> bool {
        match everyday_address(input.as_bytes()) {
            Everyday::Valid => return true,
            Everyday::NoAt => return false,
            Everyday::Unsure => {}
        }
        let s = input.trim();
        match s.rsplit_once('@') {
            // An ASCII domain without capitals is already in normal form (the common case,
            // told apart without decoding characters): check the address as it is.
            Some((_, domain))
                if domain.is_ascii() && !domain.bytes().any(|b| b.is_ascii_uppercase()) =>
            {
                plain_ascii_address(s) || s.validate_email()
            }
            // Already in normal form: check it as it is, without building a new string.
            Some((_, domain))
                if domain
                    .chars()
                    .flat_map(char::to_lowercase)
                    .eq(domain.chars()) =>
            {
                plain_ascii_address(s) || s.validate_email()
            }
            Some(_) => Self::parse(s).is_ok(),
            None => false,
        }
    }

    /// The normalised address: the local part as given, `@`, the domain lower-cased.
    ///
    /// ```
    /// use crm_core::Email;
    /// assert_eq!(Email::parse("Ana@Example.com").unwrap().as_str(), "Ana@example.com");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The part before the `@`, as given.
    ///
    /// ```
    /// use crm_core::Email;
    /// assert_eq!(Email::parse("Ana+leads@example.com").unwrap().local_part(), "Ana+leads");
    /// ```
    pub fn local_part(&self) -> &str {
        self.value.get(..self.at).unwrap_or_default()
    }

    /// The part after the `@`, lower-cased.
    ///
    /// ```
    /// use crm_core::Email;
    /// assert_eq!(Email::parse("ana@Example.COM").unwrap().domain(), "example.com");
    /// ```
    pub fn domain(&self) -> &str {
        self.value.get(self.at + 1..).unwrap_or_default()
    }

    /// A key for finding duplicates only (never for sending): the local part lower-cased and
    /// cut at its first `+` (dropping a `+tag`; a `+` in first place is kept), `@`, the
    /// domain.
    ///
    /// ```
    /// use crm_core::Email;
    /// let a = Email::parse("Ana.Silva+portal@example.com").unwrap();
    /// let b = Email::parse("ana.silva@EXAMPLE.com").unwrap();
    /// assert_ne!(a, b);
    /// assert_eq!(a.match_key(), b.match_key());
    /// ```
    pub fn match_key(&self) -> String {
        let local = self.local_part();
        let base = match local.find('+') {
            Some(i) if i > 0 => local.get(..i).unwrap_or(local),
            _ => local,
        };
        format!("{}@{}", base.to_lowercase(), self.domain())
    }
}

fn format_error(message: impl Into<String>) -> FieldError {
    FieldError::new(ErrorCode::EmailFormat, message)
}

/// Says which part of a refused address is wrong, following the rules `validator` applies.
fn diagnose(local: &str, domain: &str) -> FieldError {
    const LOCAL_SPECIALS: &str = ".!#$%&'*+/=?^_`{|}~-";
    if local.is_empty() {
        return format_error("an e-mail address needs a name before the @");
    }
    if domain.is_empty() {
        return format_error("an e-mail address needs a domain after the @");
    }
    if local.chars().count() > 64 {
        return format_error("the part before the @ is longer than 64 characters");
    }
    if let Some(c) = local
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || LOCAL_SPECIALS.contains(c)))
    {
        return format_error(format!(
            "the part before the @ holds {c:?}, which an e-mail address does not allow"
        ));
    }
    if domain.chars().count() > 255 {
        return format_error("the domain is longer than 255 characters");
    }
    format_error("the domain after the @ is not valid")
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

string_serde!(
    Email,
    as_str,
    "an e-mail address as a string, such as \"ana@example.com\""
);

#[cfg(test)]
mod tests {
    use super::*;

    fn code(input: &str) -> Option<ErrorCode> {
        Email::parse(input).err().map(|e| e.code)
    }

    fn msg(input: &str) -> String {
        Email::parse(input)
            .err()
            .map(|e| e.message)
            .unwrap_or_default()
    }

    #[test]
    fn normalises_the_domain_only() {
        let email = Email::parse("\tJoão.Silva@Imobiliária.COM.br ").ok();
        // a non-ASCII local part is refused by the HTML5 rules
        assert!(email.is_none());
        let Ok(email) = Email::parse("\tJoao.Silva@Imobiliaria.COM.br ") else {
            unreachable!("valid address")
        };
        assert_eq!(email.as_str(), "Joao.Silva@imobiliaria.com.br");
        assert_eq!(email.local_part(), "Joao.Silva");
        assert_eq!(email.domain(), "imobiliaria.com.br");
        assert_eq!(email.to_string(), "Joao.Silva@imobiliaria.com.br");
        // an internationalised domain is accepted and lower-cased
        let idn = Email::parse("ana@Imobiliária.com.br").ok();
        assert_eq!(
            idn.as_ref().map(Email::as_str),
            Some("ana@imobiliária.com.br")
        );
        // an IP literal
        assert!(Email::is_valid("ana@[127.0.0.1]"));
    }

    #[test]
    fn match_key() {
        let key = |s: &str| Email::parse(s).ok().map(|e| e.match_key());
        assert_eq!(
            key("Ana+Leads+ZAP@Example.com").as_deref(),
            Some("ana@example.com")
        );
        assert_eq!(key("ANA@example.com").as_deref(), Some("ana@example.com"));
        assert_eq!(key("+ana@example.com").as_deref(), Some("+ana@example.com"));
        assert_eq!(key("a.b@example.com").as_deref(), Some("a.b@example.com"));
    }

    #[test]
    fn every_error_code_and_message() {
        assert_eq!(code(""), Some(ErrorCode::EmailEmpty));
        assert_eq!(code(" \n "), Some(ErrorCode::EmailEmpty));
        assert_eq!(msg("ana"), "an e-mail address needs an @");
        assert_eq!(
            msg("@example.com"),
            "an e-mail address needs a name before the @"
        );
        assert_eq!(msg("ana@"), "an e-mail address needs a domain after the @");
        assert_eq!(
            msg(&format!("{}@example.com", "a".repeat(65))),
            "the part before the @ is longer than 64 characters"
        );
        assert_eq!(
            msg("ana maria@example.com"),
            "the part before the @ holds ' ', which an e-mail address does not allow"
        );
        assert_eq!(
            msg("ana@b@example.com"),
            "the part before the @ holds '@', which an e-mail address does not allow"
        );
        assert_eq!(
            msg(&format!("ana@{}.com", "a".repeat(300))),
            "the domain is longer than 255 characters"
        );
        assert_eq!(
            msg("ana@exa_mple.com"),
            "the domain after the @ is not valid"
        );
        assert_eq!(
            msg("ana@-example.com"),
            "the domain after the @ is not valid"
        );
        for bad in [
            "ana",
            "ana@",
            "ana@exa mple.com",
            "ana@@x.com",
            "\"ana\"@x.com",
        ] {
            assert_eq!(code(bad), Some(ErrorCode::EmailFormat), "{bad}");
            assert!(!Email::is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn fast_path_accepts_only_what_validator_accepts() {
        for s in [
            "ana@example.com",
            "a.b-c_d+e@sub.example.com.br",
            "x@localhost",
            "-@a-b.c",
            "a@-b.com",
            "a@b-.com",
            "a@b..com",
            "a@.com",
            "a@",
            "@b.com",
            "a b@c.com",
            "a@[127.0.0.1]",
        ] {
            if plain_ascii_address(s) {
                assert!(s.validate_email(), "{s}");
            }
        }
        assert!(plain_ascii_address("ana@example.com"));
        assert!(!plain_ascii_address("a@b..com"));
    }

    #[test]
    fn is_valid_agrees_with_parse() {
        for input in [
            "ana@example.com",
            "Ana@EXAMPLE.com",
            " ana@example.com ",
            "ana@exa_mple.com",
            "ana@",
            "",
            "a@b",
            "ana@Imobiliária.com.br",
            "ana@İstanbul.com",
            "x@[::1]",
            "x@[::1",
            "a-b@c-d.e",
            "a@-b.com",
            "a@b-.com",
            "a@b..com",
            "a@.com",
            "a@com.",
            "a@b.c-",
            "ana@@example.com",
            "@example.com",
            "ana.maria@Ex.com",
            "ana@123.45.com",
            "ana\u{a0}@example.com",
        ] {
            assert_eq!(
                Email::is_valid(input),
                Email::parse(input).is_ok(),
                "{input}"
            );
        }
    }

    proptest::proptest! {
        /// The one-pass reader calls an address valid only when it is valid and already in
        /// normal form, and invalid only when it is.
        #[test]
        fn the_everyday_reader_never_disagrees(s in "[a-zA-Z0-9.@_+ -]{0,24}", label in 60usize..66) {
            let long = format!("ana@{}.com", "a".repeat(label));
            for input in [s.as_str(), long.as_str()] {
                match everyday_address(input.as_bytes()) {
                    Everyday::Valid => proptest::prop_assert_eq!(
                        Email::parse(input).map(|e| e.as_str().to_owned()).ok(),
                        Some(input.to_owned())
                    ),
                    Everyday::NoAt => proptest::prop_assert!(Email::parse(input).is_err()),
                    Everyday::Unsure => {}
                }
                proptest::prop_assert_eq!(Email::is_valid(input), Email::parse(input).is_ok());
            }
        }
    }

    #[test]
    fn traits() {
        let email = Email::parse("Ana@Example.com").ok();
        assert_eq!("Ana@example.com".parse::<Email>().ok(), email);
        let json = email.as_ref().and_then(|e| serde_json::to_string(e).ok());
        assert_eq!(json.as_deref(), Some(r#""Ana@example.com""#));
        assert_eq!(
            serde_json::from_str::<Email>(r#""Ana@EXAMPLE.com""#).ok(),
            email
        );
        let err = serde_json::from_str::<Email>(r#""ana""#)
            .err()
            .map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("needs an @")));
    }
}
