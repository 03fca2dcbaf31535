//! CNPJ, the taxpayer number of a company: numeric, and the alphanumeric form the Receita
//! Federal issues from July 2026 (IN RFB 2.229/2024).

use super::shared::{mod11_digit, quoted_char_at, string_serde};
use crate::error::{ErrorCode, FieldError};
use std::fmt;

/// Weights of the first check digit, over the first twelve characters.
const WEIGHTS_1: [u32; 12] = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
/// Weights of the second check digit, over the first twelve characters (the first check digit
/// weighs 2).
const WEIGHTS_2: [u32; 12] = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3];

/// A valid CNPJ (Cadastro Nacional da Pessoa Jurídica), numeric or alphanumeric, kept as its
/// 14 bare characters (letters upper-cased).
///
/// The first 8 characters are the root (the company), the next 4 the order (`0001` is usually
/// the head office) and the last 2 the check digits, which are always numeric. Each character
/// weighs its ASCII code minus 48, so digits keep their value and `A` = 17 … `Z` = 42; old
/// numeric CNPJs validate unchanged. Displayed masked (`12.ABC.345/01DE-35`), serialised bare
/// (`"12ABC34501DE35"`).
///
/// ```
/// use crm_core::Cnpj;
/// let cnpj = Cnpj::parse("12.abc.345/01de-35").unwrap();
/// assert_eq!(cnpj.as_str(), "12ABC34501DE35");
/// assert_eq!(cnpj.to_string(), "12.ABC.345/01DE-35");
/// assert!(cnpj.is_alphanumeric());
/// assert_eq!(serde_json::to_string(&cnpj).unwrap(), r#""12ABC34501DE35""#);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cnpj([u8; 14]);

/// Why a CNPJ was refused: small and `Copy`, so [`Cnpj::is_valid`] never builds a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Empty,
    /// Byte offset, in the trimmed input, of the first character not allowed.
    Character(usize),
    /// How many significant characters were found.
    Length(usize),
    /// A letter in a check-digit position.
    LetterCheckDigit,
    Repeated,
    CheckDigit,
}

impl Cnpj {
    /// Parses a CNPJ, masked or bare, numeric or alphanumeric, in any letter case.
    ///
    /// Errors, in the order checked: [`ErrorCode::CnpjEmpty`], [`ErrorCode::CnpjCharacter`]
    /// (a character outside `0-9`, `A-Z`, `a-z` and `. / - space`), [`ErrorCode::CnpjLength`],
    /// [`ErrorCode::CnpjCharacter`] again for a letter among the check digits,
    /// [`ErrorCode::CnpjRepeated`], [`ErrorCode::CnpjCheckDigit`].
    ///
    /// ```
    /// use crm_core::{Cnpj, ErrorCode};
    /// assert!(Cnpj::parse("11.222.333/0001-81").is_ok());
    /// assert_eq!(Cnpj::parse("11.222.333/0001-8A").unwrap_err().code, ErrorCode::CnpjCharacter);
    /// assert_eq!(Cnpj::parse("11.222.333/0001-82").unwrap_err().code, ErrorCode::CnpjCheckDigit);
    /// ```
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        scan(input).map_err(|fault| fault.into_error(input))
    }

    /// Whether [`Cnpj::parse`] accepts `input`; allocates nothing.
    ///
    /// ```
    /// use crm_core::Cnpj;
    /// assert!(Cnpj::is_valid("12ABC34501DE35"));
    /// assert!(!Cnpj::is_valid("12ABC34501DE36"));
    /// ```
    pub fn is_valid(input: &str) -> bool {
        scan(input).is_ok()
    }

    /// The code [`Cnpj::parse`] would fail with (`None` when valid), without building its
    /// message: what batch checks need, allocation-free for valid and invalid values alike.
    ///
    /// ```
    /// use crm_core::{Cnpj, ErrorCode};
    /// assert_eq!(Cnpj::error_code("11.222.333/0001-82"), Some(ErrorCode::CnpjCheckDigit));
    /// assert_eq!(Cnpj::error_code("11222333000181"), None);
    /// ```
    pub fn error_code(input: &str) -> Option<ErrorCode> {
        scan(input).err().map(Fault::code)
    }

    /// The 14 bare characters, letters upper-cased.
    ///
    /// ```
    /// use crm_core::Cnpj;
    /// assert_eq!(Cnpj::parse("11.222.333/0001-81").unwrap().as_str(), "11222333000181");
    /// ```
    pub fn as_str(&self) -> &str {
        // Only ASCII digits and upper-case letters are ever stored, so this never falls back.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The masked form, `00.000.000/0000-00` (the same as `Display`).
    ///
    /// ```
    /// use crm_core::Cnpj;
    /// assert_eq!(Cnpj::parse("12abc34501de35").unwrap().formatted(), "12.ABC.345/01DE-35");
    /// ```
    pub fn formatted(&self) -> String {
        self.to_string()
    }

    /// Whether the CNPJ holds a letter (the alphanumeric form).
    ///
    /// ```
    /// use crm_core::Cnpj;
    /// assert!(Cnpj::parse("12.ABC.345/01DE-35").unwrap().is_alphanumeric());
    /// assert!(!Cnpj::parse("11.222.333/0001-81").unwrap().is_alphanumeric());
    /// ```
    pub fn is_alphanumeric(&self) -> bool {
        self.0.iter().any(u8::is_ascii_uppercase)
    }

    /// The root, the first 8 characters, shared by every establishment of the company.
    ///
    /// ```
    /// use crm_core::Cnpj;
    /// assert_eq!(Cnpj::parse("12.ABC.345/01DE-35").unwrap().root(), "12ABC345");
    /// ```
    pub fn root(&self) -> &str {
        self.as_str().get(..8).unwrap_or_default()
    }

    /// Whether the order (characters 9 to 12) is `0001`, which usually marks the head office.
    ///
    /// ```
    /// use crm_core::Cnpj;
    /// assert!(Cnpj::parse("11.222.333/0001-81").unwrap().is_head_office());
    /// assert!(!Cnpj::parse("12.ABC.345/01DE-35").unwrap().is_head_office());
    /// ```
    pub fn is_head_office(&self) -> bool {
        self.0.get(8..12) == Some(b"0001".as_slice())
    }

    /// The two check digits of twelve base characters (digits or letters, any case), given as
    /// ASCII and returned as ASCII digits; `None` when a base byte is not an ASCII letter or
    /// digit.
    ///
    /// ```
    /// use crm_core::Cnpj;
    /// assert_eq!(Cnpj::check_digits(b"112223330001"), Some(*b"81"));
    /// assert_eq!(Cnpj::check_digits(b"12abc34501de"), Some(*b"35"));
    /// assert_eq!(Cnpj::check_digits(b"12ABC34501D-"), None);
    /// ```
    pub fn check_digits(base: &[u8; 12]) -> Option<[u8; 2]> {
        if base.iter().all(u8::is_ascii_alphanumeric) {
            let (first, second) = check_pair(&base.map(|b| b.to_ascii_uppercase()));
            Some([b'0' + first, b'0' + second])
        } else {
            None
        }
    }
}

/// The check digits (as values 0–9) of twelve upper-case ASCII letters or digits.
fn check_pair(base: &[u8; 12]) -> (u8, u8) {
    let mut sum1 = 0u32;
    let mut sum2 = 0u32;
    for ((&b, w1), w2) in base.iter().zip(WEIGHTS_1).zip(WEIGHTS_2) {
        // ASCII code minus 48: '0'..='9' → 0..=9, 'A'..='Z' → 17..=42.
        let v = u32::from(b.wrapping_sub(b'0'));
        sum1 += v * w1;
        sum2 += v * w2;
    }
    let first = mod11_digit(sum1);
    let second = mod11_digit(sum2 + 2 * u32::from(first));
    (first, second)
}

/// The whole check, without allocating.
fn scan(input: &str) -> Result<Cnpj, Fault> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Fault::Empty);
    }
    let mut chars = [0u8; 14];
    let mut count = 0usize;
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' => {
                if let Some(slot) = chars.get_mut(count) {
                    *slot = b.to_ascii_uppercase();
                }
                count = count.saturating_add(1);
            }
            b'.' | b'/' | b'-' | b' ' => {}
            _ => return Err(Fault::Character(i)),
        }
    }
    if count != 14 {
        return Err(Fault::Length(count));
    }
    let [b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, c0, c1] = chars;
    if !c0.is_ascii_digit() || !c1.is_ascii_digit() {
        return Err(Fault::LetterCheckDigit);
    }
    if chars.iter().all(|&c| c == b0) {
        return Err(Fault::Repeated);
    }
    let (first, second) = check_pair(&[b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11]);
    if c0.wrapping_sub(b'0') != first || c1.wrapping_sub(b'0') != second {
        return Err(Fault::CheckDigit);
    }
    Ok(Cnpj(chars))
}

impl Fault {
    fn code(self) -> ErrorCode {
        match self {
            Fault::Empty => ErrorCode::CnpjEmpty,
            Fault::Character(_) => ErrorCode::CnpjCharacter,
            Fault::Length(_) => ErrorCode::CnpjLength,
            Fault::LetterCheckDigit => ErrorCode::CnpjCharacter,
            Fault::Repeated => ErrorCode::CnpjRepeated,
            Fault::CheckDigit => ErrorCode::CnpjCheckDigit,
        }
    }

    fn into_error(self, input: &str) -> FieldError {
        let (code, message) = match self {
            Fault::Empty => (ErrorCode::CnpjEmpty, String::from("the CNPJ is blank")),
            Fault::Character(at) => (
                ErrorCode::CnpjCharacter,
                format!(
                    "a CNPJ holds only letters, digits and the separators . / - and space; found {}",
                    quoted_char_at(input.trim(), at)
                ),
            ),
            Fault::Length(found) => (
                ErrorCode::CnpjLength,
                format!("expected 14 characters, found {found}"),
            ),
            Fault::LetterCheckDigit => (
                ErrorCode::CnpjCharacter,
                String::from("the two check digits of a CNPJ are numeric; found a letter"),
            ),
            Fault::Repeated => (
                ErrorCode::CnpjRepeated,
                String::from("a CNPJ made of one repeated digit is never issued"),
            ),
            Fault::CheckDigit => (
                ErrorCode::CnpjCheckDigit,
                String::from("the check digits do not match the first twelve characters"),
            ),
        };
        FieldError::new(code, message)
    }
}

impl fmt::Display for Cnpj {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.as_str();
        let part = |range: std::ops::Range<usize>| s.get(range).unwrap_or_default();
        write!(
            f,
            "{}.{}.{}/{}-{}",
            part(0..2),
            part(2..5),
            part(5..8),
            part(8..12),
            part(12..14)
        )
    }
}

impl fmt::Debug for Cnpj {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Cnpj").field(&self.as_str()).finish()
    }
}

string_serde!(
    Cnpj,
    as_str,
    "a CNPJ as a string, such as \"11.222.333/0001-81\""
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_code_is_the_code_parse_fails_with() {
        for s in [
            "",
            "11.222.333/0001-82",
            "11.222.333/0001-81",
            "12ABC34501DE35",
            "12ABC34501DE3A",
            "00000000000000",
            "1122233300018",
            "11.222.333/0001-8!",
        ] {
            assert_eq!(
                Cnpj::error_code(s),
                Cnpj::parse(s).err().map(|e| e.code),
                "{s}"
            );
        }
    }

    fn code(input: &str) -> Option<ErrorCode> {
        Cnpj::parse(input).err().map(|e| e.code)
    }

    #[test]
    fn worked_examples() {
        // 11.222.333/0001-81, base 1 1 2 2 2 3 3 3 0 0 0 1
        // first:  1*5+1*4+2*3+2*2+2*9+3*8+3*7+3*6+0*5+0*4+0*3+1*2
        //         = 5+4+6+4+18+24+21+18+0+0+0+2 = 102; 102 mod 11 = 3 (99); digit 11-3 = 8
        // second: 1*6+1*5+2*4+2*3+2*2+3*9+3*8+3*7+0*6+0*5+0*4+1*3 + 8*2
        //         = 6+5+8+6+4+27+24+21+0+0+0+3+16 = 120; 120 mod 11 = 10 (110); digit 11-10 = 1
        assert_eq!(Cnpj::check_digits(b"112223330001"), Some(*b"81"));
        assert!(Cnpj::is_valid("11.222.333/0001-81"));

        // The Receita's example 12.ABC.345/01DE-35: values 1 2 17 18 19 3 4 5 0 1 20 21
        // (A = 65-48 = 17, B = 18, C = 19, D = 20, E = 21)
        // first:  1*5+2*4+17*3+18*2+19*9+3*8+4*7+5*6+0*5+1*4+20*3+21*2
        //         = 5+8+51+36+171+24+28+30+0+4+60+42 = 459; 459 mod 11 = 8 (451); digit 3
        // second: 1*6+2*5+17*4+18*3+19*2+3*9+4*8+5*7+0*6+1*5+20*4+21*3 + 3*2
        //         = 6+10+68+54+38+27+32+35+0+5+80+63+6 = 424; 424 mod 11 = 6 (418); digit 5
        assert_eq!(Cnpj::check_digits(b"12ABC34501DE"), Some(*b"35"));
        let cnpj = Cnpj::parse("12.ABC.345/01DE-35").ok();
        assert_eq!(
            cnpj.map(|c| c.formatted()).as_deref(),
            Some("12.ABC.345/01DE-35")
        );
        // the wrong A = 10 mapping would give other digits: values 1 2 10 11 12 3 4 5 0 1 13 14
        // first = 5+8+30+22+108+24+28+30+0+4+39+28 = 326; 326 mod 11 = 7; digit 4 (not 3)
        // second = 6+10+40+33+24+27+32+35+0+5+52+42 + 4*2 = 314; 314 mod 11 = 6; digit 5
        assert_eq!(code("12.ABC.345/01DE-45"), Some(ErrorCode::CnpjCheckDigit));

        // 11.444.777/0001-61: first sum 214, mod 11 = 5, digit 6; second 230, mod 11 = 10, digit 1
        assert!(Cnpj::is_valid("11444777000161"));
    }

    #[test]
    fn accessors() {
        let Ok(cnpj) = Cnpj::parse(" 11.222.333/0001-81 ") else {
            unreachable!("valid CNPJ")
        };
        assert_eq!(cnpj.as_str(), "11222333000181");
        assert_eq!(cnpj.root(), "11222333");
        assert!(cnpj.is_head_office());
        assert!(!cnpj.is_alphanumeric());
        assert_eq!(format!("{cnpj:?}"), r#"Cnpj("11222333000181")"#);
        assert_eq!(cnpj.to_string(), "11.222.333/0001-81");
    }

    #[test]
    fn every_error_code() {
        assert_eq!(code(""), Some(ErrorCode::CnpjEmpty));
        assert_eq!(code("\n\t "), Some(ErrorCode::CnpjEmpty));
        assert_eq!(code("11.222.333\\0001-81"), Some(ErrorCode::CnpjCharacter));
        assert_eq!(code("11.222.333/0001-8ç"), Some(ErrorCode::CnpjCharacter));
        assert_eq!(code("11.222.333/0001-8"), Some(ErrorCode::CnpjLength));
        assert_eq!(code("11.222.333/0001-811"), Some(ErrorCode::CnpjLength));
        assert_eq!(code("12.ABC.345/01DE-3E"), Some(ErrorCode::CnpjCharacter));
        assert_eq!(code("12.ABC.345/01DE-A5"), Some(ErrorCode::CnpjCharacter));
        for d in b'0'..=b'9' {
            let s = String::from_utf8(vec![d; 14]).unwrap_or_default();
            assert_eq!(code(&s), Some(ErrorCode::CnpjRepeated), "{s}");
        }
        assert_eq!(code("11.222.333/0001-82"), Some(ErrorCode::CnpjCheckDigit));
        assert_eq!(code("11.222.333/0001-71"), Some(ErrorCode::CnpjCheckDigit));
    }

    #[test]
    fn order_of_checks_and_messages() {
        // letters everywhere: the check-digit-letter rule comes before the repetition
        assert_eq!(code("AAAAAAAAAAAAAA"), Some(ErrorCode::CnpjCharacter));
        // length before the letter rule
        assert_eq!(code("AAAAAAAAAAAAA"), Some(ErrorCode::CnpjLength));
        let msg = |s: &str| Cnpj::parse(s).err().map(|e| e.message).unwrap_or_default();
        assert_eq!(msg("1122233300018"), "expected 14 characters, found 13");
        assert_eq!(
            msg("12.ABC.345/01DE-3E"),
            "the two check digits of a CNPJ are numeric; found a letter"
        );
        assert!(msg("11_222").ends_with("found '_'"));
    }

    #[test]
    fn lower_case_is_upper_cased() {
        let a = Cnpj::parse("12abc34501de35").ok();
        let b = Cnpj::parse("12ABC34501DE35").ok();
        assert!(a.is_some());
        assert_eq!(a, b);
    }

    #[test]
    fn serde() {
        let cnpj = serde_json::from_str::<Cnpj>(r#""12.abc.345/01de-35""#).ok();
        assert_eq!(
            cnpj.map(|c| c.as_str().to_owned()).as_deref(),
            Some("12ABC34501DE35")
        );
        let json = cnpj.and_then(|c| serde_json::to_string(&c).ok());
        assert_eq!(json.as_deref(), Some(r#""12ABC34501DE35""#));
        assert!(serde_json::from_str::<Cnpj>(r#""11.222.333/0001-82""#).is_err());
    }
}
