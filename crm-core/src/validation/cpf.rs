//! CPF, the taxpayer number of a person: nine base digits and two check digits.

use super::shared::{mod11_digit, quoted_char_at, string_serde};
use crate::error::{ErrorCode, FieldError};
use std::fmt;

/// Weights of the first check digit, over the nine base digits.
const WEIGHTS_1: [u32; 9] = [10, 9, 8, 7, 6, 5, 4, 3, 2];
/// Weights of the second check digit, over the nine base digits (the first check digit
/// weighs 2).
const WEIGHTS_2: [u32; 9] = [11, 10, 9, 8, 7, 6, 5, 4, 3];

/// A valid CPF (Cadastro de Pessoas Físicas), kept as its 11 bare digits.
///
/// Parsing trims the input, drops the mask separators (`.`, `-`, space), needs exactly 11
/// digits, refuses one repeated digit (`111.111.111-11`, never issued; see
/// [`Cpf::parse_lenient`]) and checks both check digits. Displayed masked
/// (`529.982.247-25`), serialised bare (`"52998224725"`).
///
/// ```
/// use crm_core::{Cpf, ErrorCode};
/// let cpf = Cpf::parse("529.982.247-25").unwrap();
/// assert_eq!(cpf.as_str(), "52998224725");
/// assert_eq!(cpf.to_string(), "529.982.247-25");
/// assert_eq!(serde_json::to_string(&cpf).unwrap(), r#""52998224725""#);
/// assert_eq!(Cpf::parse("111.111.111-11").unwrap_err().code, ErrorCode::CpfRepeated);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cpf([u8; 11]);

/// Why a CPF was refused: small and `Copy`, so [`Cpf::is_valid`] never builds a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Empty,
    /// Byte offset, in the trimmed input, of the first character not allowed.
    Character(usize),
    /// How many digits were found.
    Length(usize),
    Repeated,
    CheckDigit,
}

impl Cpf {
    /// Parses a CPF, masked or bare; one repeated digit is refused.
    ///
    /// Errors, in the order checked: [`ErrorCode::CpfEmpty`], [`ErrorCode::CpfCharacter`],
    /// [`ErrorCode::CpfLength`], [`ErrorCode::CpfRepeated`], [`ErrorCode::CpfCheckDigit`].
    ///
    /// ```
    /// use crm_core::{Cpf, ErrorCode};
    /// assert!(Cpf::parse(" 529 982 247 25 ").is_ok());
    /// let err = Cpf::parse("529.982.247-2").unwrap_err();
    /// assert_eq!(err.code, ErrorCode::CpfLength);
    /// assert_eq!(err.message, "expected 11 digits, found 10");
    /// ```
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        scan(input, false).map_err(|fault| fault.into_error(input))
    }

    /// Parses like [`Cpf::parse`] but accepts one repeated digit (`000.000.000-00` …
    /// `999.999.999-99`), whose arithmetic is valid although such numbers are never issued.
    ///
    /// ```
    /// use crm_core::Cpf;
    /// assert!(Cpf::parse("111.111.111-11").is_err());
    /// assert_eq!(Cpf::parse_lenient("111.111.111-11").unwrap().as_str(), "11111111111");
    /// ```
    pub fn parse_lenient(input: &str) -> Result<Self, FieldError> {
        scan(input, true).map_err(|fault| fault.into_error(input))
    }

    /// Whether [`Cpf::parse`] accepts `input`; allocates nothing.
    ///
    /// ```
    /// use crm_core::Cpf;
    /// assert!(Cpf::is_valid("52998224725"));
    /// assert!(!Cpf::is_valid("52998224724"));
    /// ```
    pub fn is_valid(input: &str) -> bool {
        match common_check(input.as_bytes()) {
            Some(verdict) => verdict.is_ok(),
            None => scan(input, false).is_ok(),
        }
    }

    /// The code [`Cpf::parse`] would fail with (`None` when valid), without building its
    /// message: what batch checks need, allocation-free for valid and invalid values alike.
    ///
    /// ```
    /// use crm_core::{Cpf, ErrorCode};
    /// assert_eq!(Cpf::error_code("529.982.247-24"), Some(ErrorCode::CpfCheckDigit));
    /// assert_eq!(Cpf::error_code("52998224725"), None);
    /// ```
    pub fn error_code(input: &str) -> Option<ErrorCode> {
        match Self::error_code_common(input.as_bytes()) {
            Some(verdict) => verdict,
            None => scan(input, false).err().map(Fault::code),
        }
    }

    /// [`Cpf::error_code`] of the two common spellings (`52998224725`, `529.982.247-25`) read
    /// straight from bytes, for hosts checking raw buffers: `Some(verdict)` for those spellings,
    /// `None` for any other, which needs the text and [`Cpf::error_code`].
    ///
    /// ```
    /// use crm_core::{Cpf, ErrorCode};
    /// assert_eq!(Cpf::error_code_common(b"529.982.247-25"), Some(None));
    /// assert_eq!(Cpf::error_code_common(b"52998224724"), Some(Some(ErrorCode::CpfCheckDigit)));
    /// assert_eq!(Cpf::error_code_common(b" 529.982.247-25"), None);
    /// ```
    pub fn error_code_common(input: &[u8]) -> Option<Option<ErrorCode>> {
        common_check(input).map(|verdict| verdict.err().map(Fault::code))
    }

    /// The 11 bare digits.
    ///
    /// ```
    /// use crm_core::Cpf;
    /// assert_eq!(Cpf::parse("529.982.247-25").unwrap().as_str(), "52998224725");
    /// ```
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored, so this never falls back.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The masked form, `000.000.000-00` (the same as `Display`).
    ///
    /// ```
    /// use crm_core::Cpf;
    /// assert_eq!(Cpf::parse("52998224725").unwrap().formatted(), "529.982.247-25");
    /// ```
    pub fn formatted(&self) -> String {
        self.to_string()
    }

    /// The two check digits of nine base digits, given and returned as ASCII digits; `None`
    /// when a base byte is not an ASCII digit.
    ///
    /// ```
    /// use crm_core::Cpf;
    /// assert_eq!(Cpf::check_digits(b"529982247"), Some(*b"25"));
    /// assert_eq!(Cpf::check_digits(b"52998224x"), None);
    /// ```
    pub fn check_digits(base: &[u8; 9]) -> Option<[u8; 2]> {
        if base.iter().all(u8::is_ascii_digit) {
            let (first, second) = check_pair(base);
            Some([b'0' + first, b'0' + second])
        } else {
            None
        }
    }
}

/// The check digits (as values 0–9) of nine ASCII digits.
fn check_pair(base: &[u8; 9]) -> (u8, u8) {
    let mut sum1 = 0u32;
    let mut sum2 = 0u32;
    for ((&b, w1), w2) in base.iter().zip(WEIGHTS_1).zip(WEIGHTS_2) {
        let v = u32::from(b.wrapping_sub(b'0'));
        sum1 += v * w1;
        sum2 += v * w2;
    }
    let first = mod11_digit(sum1);
    let second = mod11_digit(sum2 + 2 * u32::from(first));
    (first, second)
}

/// Where the eleven digits sit in the two common spellings, `52998224725` and `529.982.247-25`.
const BARE: [usize; 11] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const MASKED: [usize; 11] = [0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13];

/// The strict check of the two common spellings straight from the bytes (no trimming, no copy,
/// no per-character dispatch): `None` for any other spelling, which [`scan`] reads.
fn common_check(b: &[u8]) -> Option<Result<(), Fault>> {
    let at: &[usize; 11] = match b.len() {
        11 => &BARE,
        14 if b.get(3) == Some(&b'.') && b.get(7) == Some(&b'.') && b.get(11) == Some(&b'-') => {
            &MASKED
        }
        _ => return None,
    };
    let digit = |k: usize| -> Option<u8> {
        let v = at.get(k).and_then(|&i| b.get(i))?.wrapping_sub(b'0');
        (v <= 9).then_some(v)
    };
    let first = digit(0)?;
    let (mut sum1, mut sum2, mut same) = (0u32, 0u32, true);
    for (k, (w1, w2)) in WEIGHTS_1.iter().zip(WEIGHTS_2).enumerate() {
        let v = digit(k)?;
        sum1 += u32::from(v) * w1;
        sum2 += u32::from(v) * w2;
        same &= v == first;
    }
    let (c0, c1) = (digit(9)?, digit(10)?);
    if same && c0 == first && c1 == first {
        return Some(Err(Fault::Repeated));
    }
    let d1 = mod11_digit(sum1);
    let d2 = mod11_digit(sum2 + 2 * u32::from(d1));
    Some(if d1 == c0 && d2 == c1 {
        Ok(())
    } else {
        Err(Fault::CheckDigit)
    })
}

/// The whole check, without allocating.
fn scan(input: &str, lenient: bool) -> Result<Cpf, Fault> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Fault::Empty);
    }
    let mut digits = [0u8; 11];
    let mut count = 0usize;
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'0'..=b'9' => {
                if let Some(slot) = digits.get_mut(count) {
                    *slot = b;
                }
                count = count.saturating_add(1);
            }
            b'.' | b'-' | b' ' => {}
            _ => return Err(Fault::Character(i)),
        }
    }
    if count != 11 {
        return Err(Fault::Length(count));
    }
    finish(digits, lenient)
}

/// The checks on eleven ASCII digits: repetition (unless lenient), then the check digits.
fn finish(digits: [u8; 11], lenient: bool) -> Result<Cpf, Fault> {
    let [d0, d1, d2, d3, d4, d5, d6, d7, d8, c0, c1] = digits;
    if !lenient && digits.iter().all(|&d| d == d0) {
        return Err(Fault::Repeated);
    }
    let (first, second) = check_pair(&[d0, d1, d2, d3, d4, d5, d6, d7, d8]);
    if c0.wrapping_sub(b'0') != first || c1.wrapping_sub(b'0') != second {
        return Err(Fault::CheckDigit);
    }
    Ok(Cpf(digits))
}

impl Fault {
    fn code(self) -> ErrorCode {
        match self {
            Fault::Empty => ErrorCode::CpfEmpty,
            Fault::Character(_) => ErrorCode::CpfCharacter,
            Fault::Length(_) => ErrorCode::CpfLength,
            Fault::Repeated => ErrorCode::CpfRepeated,
            Fault::CheckDigit => ErrorCode::CpfCheckDigit,
        }
    }

    fn into_error(self, input: &str) -> FieldError {
        let (code, message) = match self {
            Fault::Empty => (ErrorCode::CpfEmpty, String::from("the CPF is blank")),
            Fault::Character(at) => (
                ErrorCode::CpfCharacter,
                format!(
                    "a CPF holds only digits and the separators . - and space; found {}",
                    quoted_char_at(input.trim(), at)
                ),
            ),
            Fault::Length(found) => (
                ErrorCode::CpfLength,
                format!("expected 11 digits, found {found}"),
            ),
            Fault::Repeated => (
                ErrorCode::CpfRepeated,
                String::from("a CPF made of one repeated digit is never issued"),
            ),
            Fault::CheckDigit => (
                ErrorCode::CpfCheckDigit,
                String::from("the check digits do not match the first nine digits"),
            ),
        };
        FieldError::new(code, message)
    }
}

impl fmt::Display for Cpf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.as_str();
        let part = |range: std::ops::Range<usize>| s.get(range).unwrap_or_default();
        write!(
            f,
            "{}.{}.{}-{}",
            part(0..3),
            part(3..6),
            part(6..9),
            part(9..11)
        )
    }
}

impl fmt::Debug for Cpf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Cpf").field(&self.as_str()).finish()
    }
}

string_serde!(Cpf, as_str, "a CPF as a string, such as \"529.982.247-25\"");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_forms_read_like_any_other_spelling() {
        for s in [
            "52998224725",
            "529.982.247-25",
            "529.982.247-24",
            "11111111111",
            "529.982.247.25",
            "5299822472a",
            "529.98a.247-25",
            "529 982 247 25",
            " 52998224725",
            "52998224725 ",
        ] {
            let spaced = format!(" {s} ");
            assert_eq!(Cpf::parse(s).ok(), Cpf::parse(&spaced).ok(), "{s}");
            assert_eq!(Cpf::error_code(s), Cpf::error_code(&spaced), "{s}");
        }
        assert_eq!(
            Cpf::error_code("529.982.247-24"),
            Some(ErrorCode::CpfCheckDigit)
        );
        assert_eq!(Cpf::error_code("11111111111"), Some(ErrorCode::CpfRepeated));
        assert!(Cpf::parse_lenient("111.111.111-11").is_ok());
    }

    proptest::proptest! {
        #[test]
        fn the_fast_check_agrees_with_the_full_scan(d in "[0-9]{11}", masked: bool, bump in 0u8..3) {
            let mut digits: Vec<u8> = d.into_bytes();
            if let Some(last) = digits.last_mut() {
                *last = b'0' + (*last - b'0' + bump) % 10;
            }
            let bare = String::from_utf8(digits).unwrap_or_default();
            let text = if masked {
                format!("{}.{}.{}-{}", &bare[0..3], &bare[3..6], &bare[6..9], &bare[9..11])
            } else {
                bare
            };
            let full = scan(&text, false).err().map(Fault::code);
            proptest::prop_assert_eq!(Cpf::error_code(&text), full);
            proptest::prop_assert_eq!(Cpf::is_valid(&text), full.is_none());
        }
    }

    #[test]
    fn error_code_is_the_code_parse_fails_with() {
        for s in [
            "",
            " ",
            "12x",
            "1111111111",
            "111.111.111-11",
            "529.982.247-24",
            "529.982.247-25",
            "529,982",
            "52998224€725",
            "529.982.247-2",
        ] {
            assert_eq!(
                Cpf::error_code(s),
                Cpf::parse(s).err().map(|e| e.code),
                "{s}"
            );
        }
    }

    fn code(input: &str) -> Option<ErrorCode> {
        Cpf::parse(input).err().map(|e| e.code)
    }

    #[test]
    fn worked_example() {
        // 529.982.247-25, base 5 2 9 9 8 2 2 4 7
        // first:  5*10+2*9+9*8+9*7+8*6+2*5+2*4+4*3+7*2 = 50+18+72+63+48+10+8+12+14 = 295;
        //         295 mod 11 = 9 (11*26 = 286), 9 >= 2 so digit = 11-9 = 2
        // second: 5*11+2*10+9*9+9*8+8*7+2*6+2*5+4*4+7*3+2*2 = 55+20+81+72+56+12+10+16+21+4 = 347;
        //         347 mod 11 = 6 (11*31 = 341), digit = 11-6 = 5
        assert_eq!(Cpf::check_digits(b"529982247"), Some(*b"25"));
        let cpf = Cpf::parse("529.982.247-25").ok();
        assert_eq!(
            cpf.map(|c| c.formatted()).as_deref(),
            Some("529.982.247-25")
        );
        // 111.444.777-35: first sum 162, 162 mod 11 = 8, digit 3; second 204, mod 11 = 6, digit 5
        assert!(Cpf::is_valid("111.444.777-35"));
        // base 100000000: sum1 = 1*10 = 10 → r 10 → 1; sum2 = 1*11 + 1*2 = 13 → r 2 → 9
        assert_eq!(Cpf::check_digits(b"100000000"), Some(*b"19"));
        // base 000000011: sum1 = 3+2 = 5 → 6; sum2 = 4+3 + 2*6 = 19 → r 8 → 3
        assert_eq!(Cpf::check_digits(b"000000011"), Some(*b"63"));
        // a remainder below 2 gives 0: base 000000006: sum1 = 6*2 = 12 → r 1 → 0;
        // sum2 = 6*3 + 0*2 = 18 → r 7 → 4
        assert_eq!(Cpf::check_digits(b"000000006"), Some(*b"04"));
        assert!(Cpf::is_valid("000.000.006-04"));
    }

    #[test]
    fn accepts_masks_and_whitespace() {
        for input in [
            "52998224725",
            " 529.982.247-25\t",
            "529 982 247 25",
            "\u{a0}529-982-247.25\n",
        ] {
            assert_eq!(
                Cpf::parse(input)
                    .map(|c| c.as_str().to_owned())
                    .ok()
                    .as_deref(),
                Some("52998224725"),
                "{input:?}"
            );
            assert!(Cpf::is_valid(input));
        }
    }

    #[test]
    fn every_error_code() {
        assert_eq!(code(""), Some(ErrorCode::CpfEmpty));
        assert_eq!(code(" \t\u{3000}"), Some(ErrorCode::CpfEmpty));
        assert_eq!(code("529.982.247/25"), Some(ErrorCode::CpfCharacter));
        assert_eq!(code("529.982.247-2é"), Some(ErrorCode::CpfCharacter));
        assert_eq!(code("5299822472"), Some(ErrorCode::CpfLength));
        assert_eq!(code("529982247250"), Some(ErrorCode::CpfLength));
        assert_eq!(code("..--"), Some(ErrorCode::CpfLength));
        for d in b'0'..=b'9' {
            let s = String::from_utf8(vec![d; 11]).unwrap_or_default();
            assert_eq!(code(&s), Some(ErrorCode::CpfRepeated), "{s}");
            assert!(Cpf::parse_lenient(&s).is_ok(), "{s}");
        }
        assert_eq!(code("529.982.247-24"), Some(ErrorCode::CpfCheckDigit));
        assert_eq!(code("529.982.247-15"), Some(ErrorCode::CpfCheckDigit));
    }

    #[test]
    fn checks_in_order() {
        // a bad character is reported even when the length is also wrong
        assert_eq!(code("12x"), Some(ErrorCode::CpfCharacter));
        // the length before the repetition
        assert_eq!(code("1111111111"), Some(ErrorCode::CpfLength));
        // lenient still checks the arithmetic and the rest
        assert_eq!(
            Cpf::parse_lenient("111.111.111-12").err().map(|e| e.code),
            Some(ErrorCode::CpfCheckDigit)
        );
        assert_eq!(
            Cpf::parse_lenient("").err().map(|e| e.code),
            Some(ErrorCode::CpfEmpty)
        );
    }

    #[test]
    fn messages() {
        let msg = |s: &str| Cpf::parse(s).err().map(|e| e.message).unwrap_or_default();
        assert_eq!(msg("529.982.247-2"), "expected 11 digits, found 10");
        assert_eq!(
            msg(" 529,982"),
            "a CPF holds only digits and the separators . - and space; found ','"
        );
        assert_eq!(
            msg("52998224€725"),
            "a CPF holds only digits and the separators . - and space; found '€'"
        );
        let long = "1".repeat(100_000);
        assert_eq!(msg(&long), "expected 11 digits, found 100000");
        assert!(msg(&format!("{long}x")).ends_with("found 'x'"));
    }

    #[test]
    fn check_digits_helper_refuses_non_digits() {
        assert_eq!(Cpf::check_digits(b"12345678a"), None);
        assert_eq!(Cpf::check_digits(b"\xff2345678 "), None);
    }

    #[test]
    fn traits() {
        let Ok(cpf) = Cpf::parse("529.982.247-25") else {
            unreachable!("valid CPF")
        };
        assert_eq!(format!("{cpf:?}"), r#"Cpf("52998224725")"#);
        assert_eq!("52998224725".parse::<Cpf>().ok(), Some(cpf));
        assert_eq!(
            serde_json::to_string(&cpf).ok().as_deref(),
            Some(r#""52998224725""#)
        );
        assert_eq!(
            serde_json::from_str::<Cpf>(r#""529.982.247-25""#).ok(),
            Some(cpf)
        );
        let err = serde_json::from_str::<Cpf>(r#""529.982.247-24""#)
            .err()
            .map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("check digits do not match")));
        assert!(serde_json::from_str::<Cpf>("52998224725").is_err());
    }
}
