//! CRECI: a broker's (or agency's) registration at the regional real-estate council.

use super::Uf;
use super::shared::{quoted_char_at, string_serde};
use crate::error::{ErrorCode, FieldError};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Whether a CRECI registration is a person's or a company's: the `F` (física) or `J`
/// (jurídica) suffix on the council's card.
///
/// Serialised in `snake_case` (`"individual"`, `"company"`), like every enum of the crate;
/// reading also accepts the card's letters `"F"` and `"J"`.
///
/// ```
/// use crm_core::CreciKind;
/// assert_eq!(CreciKind::Company.letter(), 'J');
/// assert_eq!(serde_json::to_string(&CreciKind::Individual).unwrap(), r#""individual""#);
/// assert_eq!(serde_json::from_str::<CreciKind>(r#""J""#).unwrap(), CreciKind::Company);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreciKind {
    /// A person, a licensed broker (`F`).
    #[serde(alias = "F")]
    Individual,
    /// A company, a licensed agency (`J`).
    #[serde(alias = "J")]
    Company,
}

impl CreciKind {
    /// The card's letter: `F` or `J`.
    ///
    /// ```
    /// use crm_core::CreciKind;
    /// assert_eq!(CreciKind::Individual.letter(), 'F');
    /// ```
    pub const fn letter(self) -> char {
        match self {
            CreciKind::Individual => 'F',
            CreciKind::Company => 'J',
        }
    }
}

/// A CRECI registration: the council's UF, a number of up to six digits and, when known, the
/// kind (individual or company). There is no check digit.
///
/// Parsing is tolerant of how people write it: `CRECI-SP 123456-F`, `CRECI/RJ J-12345`,
/// `creci sp 12345`, `12345-F/SP`, `CRECI-MG 98.765-J`, `SP 045678`. Displayed and
/// serialised in one canonical form, `CRECI-SP 123456-F` (the number without leading zeros,
/// the kind only when known).
///
/// ```
/// use crm_core::{Creci, CreciKind, Uf};
/// let creci = Creci::parse("creci/rj j-012345").unwrap();
/// assert_eq!(creci.uf(), Uf::Rj);
/// assert_eq!(creci.number(), 12345);
/// assert_eq!(creci.kind(), Some(CreciKind::Company));
/// assert_eq!(creci.to_string(), "CRECI-RJ 12345-J");
/// assert_eq!(serde_json::to_string(&creci).unwrap(), r#""CRECI-RJ 12345-J""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Creci {
    uf: Uf,
    number: u32,
    kind: Option<CreciKind>,
}

/// Why a CRECI was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Empty,
    /// Byte offset, in the trimmed input, of the first character not allowed.
    Character(usize),
    LongLetters,
    SeveralUfs,
    SeveralKinds,
    SeveralNumbers,
    NoNumber,
    /// Digits in the number (more than six).
    NumberLength(usize),
    ZeroNumber,
    NoUf,
    UnknownUf([u8; 2]),
    Kind(u8),
}

/// What the tokenizer found: runs of letters and runs of digits.
#[derive(Default)]
struct Tokens {
    /// Two-letter runs seen, and the first one.
    uf_runs: usize,
    uf: [u8; 2],
    /// One-letter runs seen, and the first one.
    kind_runs: usize,
    kind: u8,
    /// Whether a run of three or more letters was seen.
    long_letters: bool,
    /// Digit runs seen, and the first one's length and value (saturating).
    digit_runs: usize,
    digits: usize,
    number: u32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Run {
    None,
    /// Letters, from this byte offset.
    Letters(usize),
    Digits,
}

impl Tokens {
    fn close_letters(&mut self, letters: &[u8]) {
        match *letters {
            [k] => {
                if self.kind_runs == 0 {
                    self.kind = k;
                }
                self.kind_runs += 1;
            }
            [a, b] => {
                if self.uf_runs == 0 {
                    self.uf = [a, b];
                }
                self.uf_runs += 1;
            }
            _ => self.long_letters = true,
        }
    }
}

impl Creci {
    /// Parses a CRECI registration.
    ///
    /// Errors: [`ErrorCode::CreciEmpty`] for a blank input; [`ErrorCode::CreciFormat`] for a
    /// character other than letters, digits and `- / : . ( )` or space, a word of three or
    /// more letters (other than a leading `CRECI`), or more than one UF, kind letter or
    /// number; [`ErrorCode::CreciNumber`] for a number that is missing, zero or longer than
    /// six digits (leading zeros count); [`ErrorCode::CreciUf`] for a missing or unknown
    /// UF; [`ErrorCode::CreciKind`] for a kind letter other than F or J.
    ///
    /// ```
    /// use crm_core::{Creci, ErrorCode};
    /// assert_eq!(Creci::parse("12345-F/SP").unwrap().to_string(), "CRECI-SP 12345-F");
    /// assert_eq!(Creci::parse("CRECI 12345").unwrap_err().code, ErrorCode::CreciUf);
    /// assert_eq!(Creci::parse("CRECI-SP 1234567").unwrap_err().code, ErrorCode::CreciNumber);
    /// assert_eq!(Creci::parse("CRECI-SP 12345-X").unwrap_err().code, ErrorCode::CreciKind);
    /// ```
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        scan(input).map_err(|fault| fault.into_error(input))
    }

    /// Whether [`Creci::parse`] accepts `input`; allocates nothing.
    ///
    /// ```
    /// use crm_core::Creci;
    /// assert!(Creci::is_valid("CRECI-MG 98.765-J"));
    /// assert!(!Creci::is_valid("CRECI-XX 98765"));
    /// ```
    pub fn is_valid(input: &str) -> bool {
        scan(input).is_ok()
    }

    /// The UF of the regional council.
    ///
    /// ```
    /// use crm_core::{Creci, Uf};
    /// assert_eq!(Creci::parse("SP 045678").unwrap().uf(), Uf::Sp);
    /// ```
    pub fn uf(&self) -> Uf {
        self.uf
    }

    /// The registration number, 1 to 999999.
    ///
    /// ```
    /// use crm_core::Creci;
    /// assert_eq!(Creci::parse("SP 045678").unwrap().number(), 45678);
    /// ```
    pub fn number(&self) -> u32 {
        self.number
    }

    /// The kind, when the registration carries an F or J.
    ///
    /// ```
    /// use crm_core::{Creci, CreciKind};
    /// assert_eq!(Creci::parse("CRECI-SP 123456-F").unwrap().kind(), Some(CreciKind::Individual));
    /// assert_eq!(Creci::parse("creci sp 12345").unwrap().kind(), None);
    /// ```
    pub fn kind(&self) -> Option<CreciKind> {
        self.kind
    }

    /// The canonical form (the same as `Display`): `CRECI-SP 123456-F`, or `CRECI-SP 123456`
    /// when the kind is not known.
    ///
    /// ```
    /// use crm_core::Creci;
    /// assert_eq!(Creci::parse("sp 045678").unwrap().formatted(), "CRECI-SP 45678");
    /// ```
    pub fn formatted(&self) -> String {
        self.to_string()
    }
}

/// The whole check, without allocating.
fn scan(input: &str) -> Result<Creci, Fault> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Fault::Empty);
    }
    let bytes = s.as_bytes();
    // A leading word CRECI (not followed by another letter) is dropped.
    let start = match (bytes.get(..5), bytes.get(5)) {
        (Some(word), next)
            if word.eq_ignore_ascii_case(b"CRECI")
                && !next.is_some_and(u8::is_ascii_alphabetic) =>
        {
            5
        }
        _ => 0,
    };

    let mut tokens = Tokens::default();
    let mut run = Run::None;
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        let b = b.to_ascii_uppercase();
        match b {
            b'A'..=b'Z' => {
                if run == Run::Digits {
                    tokens.digit_runs += 1;
                }
                if !matches!(run, Run::Letters(_)) {
                    run = Run::Letters(i);
                }
            }
            b'0'..=b'9' => {
                if let Run::Letters(from) = run {
                    tokens.close_letters(bytes.get(from..i).unwrap_or_default());
                }
                run = Run::Digits;
                // Only the first run is kept; a second one is an error anyway.
                if tokens.digit_runs == 0 {
                    tokens.digits += 1;
                    tokens.number = tokens
                        .number
                        .saturating_mul(10)
                        .saturating_add(u32::from(b - b'0'));
                }
            }
            // A dot between two digits groups thousands ("98.765"): the run goes on.
            b'.' if run == Run::Digits && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {}
            b' ' | b'-' | b'/' | b':' | b'.' | b'(' | b')' => {
                match run {
                    Run::Letters(from) => {
                        tokens.close_letters(bytes.get(from..i).unwrap_or_default())
                    }
                    Run::Digits => tokens.digit_runs += 1,
                    Run::None => {}
                }
                run = Run::None;
            }
            _ => return Err(Fault::Character(i)),
        }
        i += 1;
    }
    match run {
        Run::Letters(from) => tokens.close_letters(bytes.get(from..).unwrap_or_default()),
        Run::Digits => tokens.digit_runs += 1,
        Run::None => {}
    }

    if tokens.long_letters {
        return Err(Fault::LongLetters);
    }
    if tokens.uf_runs > 1 {
        return Err(Fault::SeveralUfs);
    }
    if tokens.kind_runs > 1 {
        return Err(Fault::SeveralKinds);
    }
    match tokens.digit_runs {
        0 => return Err(Fault::NoNumber),
        1 => {}
        _ => return Err(Fault::SeveralNumbers),
    }
    if tokens.digits > 6 {
        return Err(Fault::NumberLength(tokens.digits));
    }
    if tokens.number == 0 {
        return Err(Fault::ZeroNumber);
    }
    if tokens.uf_runs == 0 {
        return Err(Fault::NoUf);
    }
    let [a, b] = tokens.uf.map(|c| c.to_ascii_uppercase());
    let uf = Uf::ALL
        .into_iter()
        .find(|uf| uf.code().as_bytes() == [a, b])
        .ok_or(Fault::UnknownUf([a, b]))?;
    let kind = match (tokens.kind_runs, tokens.kind.to_ascii_uppercase()) {
        (0, _) => None,
        (_, b'F') => Some(CreciKind::Individual),
        (_, b'J') => Some(CreciKind::Company),
        (_, other) => return Err(Fault::Kind(other)),
    };
    Ok(Creci {
        uf,
        number: tokens.number,
        kind,
    })
}

impl Fault {
    fn into_error(self, input: &str) -> FieldError {
        let (code, message) = match self {
            Fault::Empty => (
                ErrorCode::CreciEmpty,
                String::from("the CRECI registration is blank"),
            ),
            Fault::Character(at) => (
                ErrorCode::CreciFormat,
                format!(
                    "a CRECI registration holds letters, digits and the separators - / : . ( ) and space; found {}",
                    quoted_char_at(input.trim(), at)
                ),
            ),
            Fault::LongLetters => (
                ErrorCode::CreciFormat,
                String::from(
                    "a CRECI registration holds only the word CRECI, a UF, a number and F or J",
                ),
            ),
            Fault::SeveralUfs => (
                ErrorCode::CreciFormat,
                String::from("a CRECI registration names one UF, found more than one"),
            ),
            Fault::SeveralKinds => (
                ErrorCode::CreciFormat,
                String::from(
                    "a CRECI registration has one kind letter (F or J), found more than one",
                ),
            ),
            Fault::SeveralNumbers => (
                ErrorCode::CreciFormat,
                String::from(
                    "a CRECI registration has one number, found more than one group of digits",
                ),
            ),
            Fault::NoNumber => (
                ErrorCode::CreciNumber,
                String::from("the CRECI number is missing"),
            ),
            Fault::NumberLength(found) => (
                ErrorCode::CreciNumber,
                format!("a CRECI number has at most 6 digits, found {found}"),
            ),
            Fault::ZeroNumber => (
                ErrorCode::CreciNumber,
                String::from("the CRECI number cannot be zero"),
            ),
            Fault::NoUf => (ErrorCode::CreciUf, String::from("the UF is required")),
            Fault::UnknownUf(letters) => (
                ErrorCode::CreciUf,
                format!("{} is not a UF", String::from_utf8_lossy(&letters)),
            ),
            Fault::Kind(letter) => (
                ErrorCode::CreciKind,
                format!(
                    "the kind letter is F (individual) or J (company), found {}",
                    char::from(letter)
                ),
            ),
        };
        FieldError::new(code, message)
    }
}

impl fmt::Display for Creci {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CRECI-{} {}", self.uf.code(), self.number)?;
        if let Some(kind) = self.kind {
            write!(f, "-{}", kind.letter())?;
        }
        Ok(())
    }
}

string_serde!(
    Creci,
    display,
    "a CRECI registration as a string, such as \"CRECI-SP 123456-F\""
);

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(input: &str) -> Option<(Uf, u32, Option<CreciKind>)> {
        Creci::parse(input)
            .ok()
            .map(|c| (c.uf(), c.number(), c.kind()))
    }

    fn code(input: &str) -> Option<ErrorCode> {
        Creci::parse(input).err().map(|e| e.code)
    }

    #[test]
    fn accepted_forms() {
        use CreciKind::{Company, Individual};
        let cases = [
            ("CRECI-SP 123456-F", (Uf::Sp, 123_456, Some(Individual))),
            ("CRECI/RJ J-12345", (Uf::Rj, 12_345, Some(Company))),
            ("creci sp 12345", (Uf::Sp, 12_345, None)),
            ("12345-F/SP", (Uf::Sp, 12_345, Some(Individual))),
            ("CRECI-MG 98.765-J", (Uf::Mg, 98_765, Some(Company))),
            ("SP 045678", (Uf::Sp, 45_678, None)),
            ("CRECI SP 123456F", (Uf::Sp, 123_456, Some(Individual))),
            ("SP1", (Uf::Sp, 1, None)),
            ("CRECI: (RS) 1.234 - f", (Uf::Rs, 1_234, Some(Individual))),
            ("  crecI-df 000001  ", (Uf::Df, 1, None)),
            ("sp12345j", (Uf::Sp, 12_345, Some(Company))),
            ("CRECI:SP:999999", (Uf::Sp, 999_999, None)),
        ];
        for (input, expected) in cases {
            assert_eq!(parts(input), Some(expected), "{input}");
            assert!(Creci::is_valid(input), "{input}");
        }
    }

    #[test]
    fn canonical_form_round_trips() {
        for input in [
            "CRECI-SP 123456-F",
            "creci/rj j-012345",
            "SP 045678",
            "98.765 J MG",
        ] {
            let Ok(creci) = Creci::parse(input) else {
                unreachable!("valid {input}")
            };
            assert_eq!(Creci::parse(&creci.formatted()).ok(), Some(creci));
        }
        assert_eq!(
            Creci::parse("98.765 J MG")
                .map(|c| c.formatted())
                .ok()
                .as_deref(),
            Some("CRECI-MG 98765-J")
        );
    }

    #[test]
    fn every_error_code() {
        assert_eq!(code(""), Some(ErrorCode::CreciEmpty));
        assert_eq!(code(" \t "), Some(ErrorCode::CreciEmpty));
        // characters
        assert_eq!(code("CRECI-SP 123456_F"), Some(ErrorCode::CreciFormat));
        assert_eq!(code("CRECI-SÃ 123456"), Some(ErrorCode::CreciFormat));
        assert_eq!(code("CRECI-SP\t123456"), Some(ErrorCode::CreciFormat));
        // structure
        assert_eq!(code("CRECI-SP 123456 ABC"), Some(ErrorCode::CreciFormat));
        assert_eq!(code("CRECISP 123456"), Some(ErrorCode::CreciFormat)); // not the word CRECI
        assert_eq!(code("12345 SP CRECI"), Some(ErrorCode::CreciFormat)); // CRECI only leads
        assert_eq!(code("CRECI-SP RJ 123456"), Some(ErrorCode::CreciFormat));
        assert_eq!(code("CRECI-SP 123456 F J"), Some(ErrorCode::CreciFormat));
        assert_eq!(code("CRECI-SP 123 456"), Some(ErrorCode::CreciFormat));
        assert_eq!(code("CRECI-SP 98..765"), Some(ErrorCode::CreciFormat));
        // number
        assert_eq!(code("CRECI-SP"), Some(ErrorCode::CreciNumber));
        assert_eq!(code("CRECI-SP F"), Some(ErrorCode::CreciNumber));
        assert_eq!(code("CRECI-SP 1234567"), Some(ErrorCode::CreciNumber));
        assert_eq!(code("CRECI-SP 0123456"), Some(ErrorCode::CreciNumber));
        assert_eq!(code("CRECI-SP 000"), Some(ErrorCode::CreciNumber));
        assert_eq!(
            code(&format!("SP {}", "9".repeat(40))),
            Some(ErrorCode::CreciNumber)
        );
        // UF
        assert_eq!(code("CRECI 12345-F"), Some(ErrorCode::CreciUf));
        assert_eq!(code("CRECI-XX 12345"), Some(ErrorCode::CreciUf));
        // kind
        assert_eq!(code("CRECI-SP 12345-X"), Some(ErrorCode::CreciKind));
        assert_eq!(code("CRECI-SP 12345 p"), Some(ErrorCode::CreciKind));
    }

    #[test]
    fn messages() {
        let msg = |s: &str| Creci::parse(s).err().map(|e| e.message).unwrap_or_default();
        assert_eq!(msg("CRECI 12345"), "the UF is required");
        assert_eq!(msg("CRECI-xx 12345"), "XX is not a UF");
        assert_eq!(
            msg("CRECI-SP 1234567"),
            "a CRECI number has at most 6 digits, found 7"
        );
        assert_eq!(
            msg("CRECI-SP 12345-x"),
            "the kind letter is F (individual) or J (company), found X"
        );
        assert!(msg("CRECI-SP #12345").ends_with("found '#'"));
        assert_eq!(msg("CRECI-SP 0"), "the CRECI number cannot be zero");
        assert_eq!(msg("CRECI-SP"), "the CRECI number is missing");
    }

    #[test]
    fn traits() {
        let creci = Creci::parse("CRECI-SP 123456-F").ok();
        assert_eq!("CRECI-SP 123456-F".parse::<Creci>().ok(), creci);
        let json = creci.and_then(|c| serde_json::to_string(&c).ok());
        assert_eq!(json.as_deref(), Some(r#""CRECI-SP 123456-F""#));
        assert_eq!(
            serde_json::from_str::<Creci>(r#""sp 123456 f""#).ok(),
            creci
        );
        assert!(serde_json::from_str::<Creci>(r#""sp""#).is_err());
        assert_eq!(
            serde_json::to_string(&CreciKind::Company).ok().as_deref(),
            Some(r#""company""#)
        );
        assert_eq!(
            serde_json::from_str::<CreciKind>(r#""F""#).ok(),
            Some(CreciKind::Individual)
        );
    }
}
