//! Phone numbers: Brazilian mobiles and landlines (normalised to E.164), and foreign numbers
//! given with their `+` country code.

use super::shared::{quoted_char_at, string_serde};
use crate::error::{ErrorCode, FieldError};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::hash::{Hash, Hasher};

/// What kind of line a [`Phone`] is. Serialised in `snake_case` (`"mobile"`).
///
/// ```
/// use crm_core::{Phone, PhoneKind};
/// assert_eq!(Phone::parse("(11) 98765-4321").unwrap().kind(), PhoneKind::Mobile);
/// assert_eq!(serde_json::to_string(&PhoneKind::Landline).unwrap(), r#""landline""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhoneKind {
    /// A Brazilian mobile: area code and 9 digits starting with 9.
    Mobile,
    /// A Brazilian landline: area code and 8 digits starting with 2 to 5.
    Landline,
    /// A number outside Brazil, given with `+` and its country code; only its length is
    /// checked (8 to 15 digits, as E.164 allows).
    Foreign,
}

/// Options for [`Phone::parse_with`]. The default is strict. In JSON, a missing field takes
/// its default and an unknown field is refused.
///
/// ```
/// use crm_core::{Phone, PhoneOptions};
/// let repair = PhoneOptions { repair_legacy_mobile: true };
/// let phone = Phone::parse_with("(11) 8765-4321", repair).unwrap();
/// assert_eq!(phone.as_str(), "+5511987654321");
/// assert!(phone.was_repaired());
/// assert_eq!(serde_json::from_str::<PhoneOptions>("{}").unwrap(), PhoneOptions::default());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PhoneOptions {
    /// Repair an 8-digit mobile from before the ninth digit (subscriber number starting 6 to
    /// 9) by prefixing 9, instead of refusing it with
    /// [`ErrorCode::PhoneLegacyMobile`]. Off by default.
    pub repair_legacy_mobile: bool,
}

/// A valid phone number, kept in E.164 form (`+5511987654321`).
///
/// Parsing trims the input and tolerates the usual clutter: spaces, dots, dashes,
/// parentheses, `+55` or `55`, a trunk `0` and a two-digit carrier code (`0 21 11 …`). A
/// Brazilian number needs a valid area code (DDD) and either 9 digits starting with 9
/// (mobile) or 8 digits starting with 2 to 5 (landline). Service numbers (0800, 0300, 4004 …)
/// are refused. A number starting with `+` and another country code is kept as
/// [`PhoneKind::Foreign`].
///
/// Displayed as people write it (`(11) 98765-4321`), serialised as E.164. Equality and
/// hashing compare the E.164 form only, so a repaired number equals the same number given
/// with its ninth digit.
///
/// ```
/// use crm_core::{ErrorCode, Phone, PhoneKind};
/// let phone = Phone::parse("+55 (11) 98765-4321").unwrap();
/// assert_eq!(phone.as_str(), "+5511987654321");
/// assert_eq!(phone.to_string(), "(11) 98765-4321");
/// assert_eq!(phone.area_code(), Some(11));
/// assert_eq!(Phone::parse("0800 123 4567").unwrap_err().code, ErrorCode::PhoneNonGeographic);
/// assert_eq!(Phone::parse("+1 212 555 0100").unwrap().kind(), PhoneKind::Foreign);
/// ```
#[derive(Clone, Copy)]
pub struct Phone {
    /// The E.164 form in ASCII; bytes from `len` on are zero.
    e164: [u8; 16],
    len: u8,
    kind: PhoneKind,
    repaired: bool,
}

/// Why a phone was refused: small and `Copy`, so [`Phone::is_valid`] never builds a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Empty,
    /// Byte offset, in the trimmed input, of the first character not allowed.
    Character(usize),
    CountryCode,
    /// Digits of an international number, outside 8..=15.
    ForeignLength(usize),
    NonGeographic,
    /// Digits of a number dialled with a leading 0, outside 11..=14.
    TrunkLength(usize),
    /// Digits of the national number (area code and subscriber), neither 10 nor 11.
    NationalLength(usize),
    AreaCode(u8),
    /// A 9-digit subscriber number not starting with 9; the digit found.
    MobileStart(u8),
    /// An 8-digit subscriber number starting with 0 or 1; the digit found.
    LandlineStart(u8),
    LegacyMobile,
}

/// The value of two ASCII digits.
const fn two_digits(tens: u8, units: u8) -> u8 {
    tens.wrapping_sub(b'0')
        .wrapping_mul(10)
        .wrapping_add(units.wrapping_sub(b'0'))
}

/// Whether a two-digit area code (DDD) is in use in Brazil.
const fn is_area_code(ddd: u8) -> bool {
    matches!(
        ddd,
        11..=19
            | 21
            | 22
            | 24
            | 27
            | 28
            | 31..=35
            | 37
            | 38
            | 41..=49
            | 51
            | 53..=55
            | 61..=69
            | 71
            | 73..=75
            | 77
            | 79
            | 81..=89
            | 91..=99
    )
}

impl Phone {
    /// Parses a phone number with the default (strict) options.
    ///
    /// Errors: [`ErrorCode::PhoneEmpty`], [`ErrorCode::PhoneCharacter`],
    /// [`ErrorCode::PhoneCountryCode`] (`+0…`), [`ErrorCode::PhoneNonGeographic`],
    /// [`ErrorCode::PhoneLength`], [`ErrorCode::PhoneAreaCode`],
    /// [`ErrorCode::PhoneSubscriber`], [`ErrorCode::PhoneLegacyMobile`].
    ///
    /// ```
    /// use crm_core::{ErrorCode, Phone};
    /// assert_eq!(Phone::parse("011 3456-7890").unwrap().as_str(), "+551134567890");
    /// assert_eq!(Phone::parse("0 21 11 98765-4321").unwrap().as_str(), "+5511987654321");
    /// assert_eq!(Phone::parse("(20) 98765-4321").unwrap_err().code, ErrorCode::PhoneAreaCode);
    /// assert_eq!(Phone::parse("(11) 8765-4321").unwrap_err().code, ErrorCode::PhoneLegacyMobile);
    /// ```
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        Self::parse_with(input, PhoneOptions::default())
    }

    /// Parses a phone number with explicit options.
    ///
    /// ```
    /// use crm_core::{Phone, PhoneKind, PhoneOptions};
    /// let options = PhoneOptions { repair_legacy_mobile: true };
    /// let phone = Phone::parse_with("55 21 8765 4321", options).unwrap();
    /// assert_eq!(phone.kind(), PhoneKind::Mobile);
    /// assert_eq!(phone.to_string(), "(21) 98765-4321");
    /// ```
    pub fn parse_with(input: &str, options: PhoneOptions) -> Result<Self, FieldError> {
        scan(input, options).map_err(|fault| fault.into_error(input))
    }

    /// Whether [`Phone::parse`] accepts `input`; allocates nothing.
    ///
    /// ```
    /// use crm_core::Phone;
    /// assert!(Phone::is_valid("11 98765 4321"));
    /// assert!(!Phone::is_valid("11 8765 4321"));
    /// ```
    pub fn is_valid(input: &str) -> bool {
        scan(input, PhoneOptions::default()).is_ok()
    }

    /// Whether [`Phone::parse_with`] accepts `input` with these options; allocates nothing.
    ///
    /// ```
    /// use crm_core::{Phone, PhoneOptions};
    /// let repair = PhoneOptions { repair_legacy_mobile: true };
    /// assert!(Phone::is_valid_with("11 8765 4321", repair));
    /// ```
    pub fn is_valid_with(input: &str, options: PhoneOptions) -> bool {
        scan(input, options).is_ok()
    }

    /// The kind of line.
    ///
    /// ```
    /// use crm_core::{Phone, PhoneKind};
    /// assert_eq!(Phone::parse("(11) 3456-7890").unwrap().kind(), PhoneKind::Landline);
    /// ```
    pub fn kind(&self) -> PhoneKind {
        self.kind
    }

    /// The E.164 form: `+`, country code and number, digits only.
    ///
    /// ```
    /// use crm_core::Phone;
    /// assert_eq!(Phone::parse("(11) 3456-7890").unwrap().as_str(), "+551134567890");
    /// assert_eq!(Phone::parse("+44 20 7946 0958").unwrap().as_str(), "+442079460958");
    /// ```
    pub fn as_str(&self) -> &str {
        let bytes = self.e164.get(..usize::from(self.len)).unwrap_or_default();
        // Only '+' and ASCII digits are ever stored, so this never falls back.
        std::str::from_utf8(bytes).unwrap_or_default()
    }

    /// The two-digit area code (DDD) of a Brazilian number; `None` for a foreign one.
    ///
    /// ```
    /// use crm_core::Phone;
    /// assert_eq!(Phone::parse("(21) 98765-4321").unwrap().area_code(), Some(21));
    /// assert_eq!(Phone::parse("+1 212 555 0100").unwrap().area_code(), None);
    /// ```
    pub fn area_code(&self) -> Option<u8> {
        match (self.kind, self.e164.get(3..5)) {
            (PhoneKind::Foreign, _) | (_, None) => None,
            (_, Some(&[a, b])) => Some(two_digits(a, b)),
            (_, Some(_)) => None,
        }
    }

    /// Whether the number was an 8-digit mobile repaired with a ninth digit (only with
    /// [`PhoneOptions::repair_legacy_mobile`]). Not part of equality.
    ///
    /// ```
    /// use crm_core::{Phone, PhoneOptions};
    /// let repair = PhoneOptions { repair_legacy_mobile: true };
    /// assert!(Phone::parse_with("11 8765-4321", repair).unwrap().was_repaired());
    /// assert!(!Phone::parse_with("11 98765-4321", repair).unwrap().was_repaired());
    /// ```
    pub fn was_repaired(&self) -> bool {
        self.repaired
    }

    /// The form people read (the same as `Display`): `(11) 98765-4321` for a mobile,
    /// `(11) 3456-7890` for a landline, the E.164 form for a foreign number.
    ///
    /// ```
    /// use crm_core::Phone;
    /// assert_eq!(Phone::parse("+551134567890").unwrap().formatted(), "(11) 3456-7890");
    /// assert_eq!(Phone::parse("+1 212 555 0100").unwrap().formatted(), "+12125550100");
    /// ```
    pub fn formatted(&self) -> String {
        self.to_string()
    }

    /// A Brazilian number from its area code and subscriber number, both ASCII digits.
    fn brazilian(ddd: [u8; 2], subscriber: &[u8], kind: PhoneKind, repaired: bool) -> Self {
        let mut phone = Phone {
            e164: [0; 16],
            len: 0,
            kind,
            repaired,
        };
        phone.push(b"+55");
        phone.push(&ddd);
        if repaired {
            phone.push(b"9");
        }
        phone.push(subscriber);
        phone
    }

    /// Appends bytes to the E.164 buffer; what does not fit is dropped (callers never
    /// exceed 16 bytes).
    fn push(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if let Some(slot) = self.e164.get_mut(usize::from(self.len)) {
                *slot = b;
                self.len = self.len.saturating_add(1);
            }
        }
    }
}

/// The whole check, without allocating.
fn scan(input: &str, options: PhoneOptions) -> Result<Phone, Fault> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Fault::Empty);
    }
    let plus = s.starts_with('+');
    // The first 16 digits; `count` keeps counting past them, and every branch checks the
    // count before using more than a short prefix of the buffer.
    let mut buf = [0u8; 16];
    let mut count = 0usize;
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'0'..=b'9' => {
                if let Some(slot) = buf.get_mut(count) {
                    *slot = b;
                }
                count = count.saturating_add(1);
            }
            b' ' | b'(' | b')' | b'-' | b'.' => {}
            b'+' if i == 0 => {}
            _ => return Err(Fault::Character(i)),
        }
    }
    let digits = buf.get(..count.min(buf.len())).unwrap_or_default();

    if plus {
        if let Some(national) = digits.strip_prefix(b"55") {
            return national_number(national, count - 2, options);
        }
        if digits.first() == Some(&b'0') {
            return Err(Fault::CountryCode);
        }
        if !(8..=15).contains(&count) {
            return Err(Fault::ForeignLength(count));
        }
        let mut phone = Phone {
            e164: [0; 16],
            len: 0,
            kind: PhoneKind::Foreign,
            repaired: false,
        };
        phone.push(b"+");
        phone.push(digits);
        return Ok(phone);
    }

    let service = (count == 11
        && [b"0800", b"0300", b"0500", b"0900"]
            .iter()
            .any(|p| digits.starts_with(*p)))
        || (count == 8 && (digits.starts_with(b"300") || digits.starts_with(b"400")));
    if service {
        return Err(Fault::NonGeographic);
    }
    if let Some(after_zero) = digits.strip_prefix(b"0") {
        return match count {
            // 0 + area code + number
            11 | 12 => national_number(after_zero, count - 1, options),
            // 0 + carrier code + area code + number
            13 | 14 => national_number(after_zero.get(2..).unwrap_or_default(), count - 3, options),
            _ => Err(Fault::TrunkLength(count)),
        };
    }
    if let (Some(national), 12 | 13) = (digits.strip_prefix(b"55"), count) {
        return national_number(national, count - 2, options);
    }
    national_number(digits, count, options)
}

/// Checks a national number (area code and subscriber number); `len` is its true length,
/// which `digits` holds in full whenever it is 10 or 11.
fn national_number(digits: &[u8], len: usize, options: PhoneOptions) -> Result<Phone, Fault> {
    let (&[a, b], subscriber) = match (len, digits.split_first_chunk::<2>()) {
        (10 | 11, Some(split)) => split,
        _ => return Err(Fault::NationalLength(len)),
    };
    let ddd = two_digits(a, b);
    if !is_area_code(ddd) {
        return Err(Fault::AreaCode(ddd));
    }
    let first = subscriber.first().map_or(0, |d| d.wrapping_sub(b'0'));
    match (subscriber.len(), first) {
        (9, 9) => Ok(Phone::brazilian(
            [a, b],
            subscriber,
            PhoneKind::Mobile,
            false,
        )),
        (9, _) => Err(Fault::MobileStart(first)),
        (_, 2..=5) => Ok(Phone::brazilian(
            [a, b],
            subscriber,
            PhoneKind::Landline,
            false,
        )),
        (_, 6..=9) if options.repair_legacy_mobile => Ok(Phone::brazilian(
            [a, b],
            subscriber,
            PhoneKind::Mobile,
            true,
        )),
        (_, 6..=9) => Err(Fault::LegacyMobile),
        _ => Err(Fault::LandlineStart(first)),
    }
}

impl Fault {
    fn into_error(self, input: &str) -> FieldError {
        let (code, message) = match self {
            Fault::Empty => (
                ErrorCode::PhoneEmpty,
                String::from("the phone number is blank"),
            ),
            Fault::Character(at) => (
                ErrorCode::PhoneCharacter,
                format!(
                    "a phone number holds only digits, spaces, dots, dashes, parentheses and a leading +; found {}",
                    quoted_char_at(input.trim(), at)
                ),
            ),
            Fault::CountryCode => (
                ErrorCode::PhoneCountryCode,
                String::from(
                    "a country code never starts with 0; write the number after the + without it",
                ),
            ),
            Fault::ForeignLength(found) => (
                ErrorCode::PhoneLength,
                format!("an international number has 8 to 15 digits, found {found}"),
            ),
            Fault::NonGeographic => (
                ErrorCode::PhoneNonGeographic,
                String::from("a service number (0800, 0300, 4004 …) is not a person's line"),
            ),
            Fault::TrunkLength(found) => (
                ErrorCode::PhoneLength,
                format!(
                    "a number dialled with a leading 0 has 11 to 14 digits (0, optional carrier code, area code, number), found {found}"
                ),
            ),
            Fault::NationalLength(found) => (
                ErrorCode::PhoneLength,
                format!(
                    "a Brazilian number needs the two-digit area code plus 8 or 9 digits, found {found} digits"
                ),
            ),
            Fault::AreaCode(ddd) => (
                ErrorCode::PhoneAreaCode,
                format!("{ddd:02} is not a Brazilian area code (DDD)"),
            ),
            Fault::MobileStart(first) => (
                ErrorCode::PhoneSubscriber,
                format!("a 9-digit number is a mobile and starts with 9, found {first}"),
            ),
            Fault::LandlineStart(first) => (
                ErrorCode::PhoneSubscriber,
                format!("an 8-digit landline starts with 2 to 5, found {first}"),
            ),
            Fault::LegacyMobile => (
                ErrorCode::PhoneLegacyMobile,
                String::from(
                    "an 8-digit mobile from before the ninth digit; add the leading 9 or parse with repair_legacy_mobile",
                ),
            ),
        };
        FieldError::new(code, message)
    }
}

impl PartialEq for Phone {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Phone {}

impl Hash for Phone {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.as_str();
        let part = |range: std::ops::Range<usize>| s.get(range).unwrap_or_default();
        match self.kind {
            PhoneKind::Foreign => f.write_str(s),
            // +55 DD 9NNNN NNNN
            PhoneKind::Mobile => write!(f, "({}) {}-{}", part(3..5), part(5..10), part(10..14)),
            // +55 DD NNNN NNNN
            PhoneKind::Landline => write!(f, "({}) {}-{}", part(3..5), part(5..9), part(9..13)),
        }
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Phone")
            .field("e164", &self.as_str())
            .field("kind", &self.kind)
            .field("repaired", &self.repaired)
            .finish()
    }
}

string_serde!(
    Phone,
    as_str,
    "a phone number as a string, such as \"+5511987654321\""
);

#[cfg(test)]
mod tests {
    use super::*;

    const REPAIR: PhoneOptions = PhoneOptions {
        repair_legacy_mobile: true,
    };

    fn e164(input: &str) -> Option<String> {
        Phone::parse(input).ok().map(|p| p.as_str().to_owned())
    }

    fn code(input: &str) -> Option<ErrorCode> {
        Phone::parse(input).err().map(|e| e.code)
    }

    #[test]
    fn clutter_is_tolerated() {
        let mobile = Some(String::from("+5511987654321"));
        for input in [
            "11987654321",
            "(11) 98765-4321",
            "11 98765 4321",
            "11.98765.4321",
            "+55 11 98765-4321",
            "+55 (11) 98765-4321",
            "5511987654321",
            "55 11 98765 4321",
            "011 98765-4321",
            "0 11 98765 4321",
            "0 21 11 98765-4321",
        ] {
            assert_eq!(e164(input), mobile, "{input}");
            assert!(Phone::is_valid(input), "{input}");
        }
        let landline = Some(String::from("+551134567890"));
        for input in [
            "1134567890",
            "(11) 3456-7890",
            "+551134567890",
            "551134567890",
            "01134567890",
            "0 41 11 3456 7890",
        ] {
            assert_eq!(e164(input), landline, "{input}");
        }
    }

    #[test]
    fn kinds_and_formatting() {
        let Ok(mobile) = Phone::parse("+55 21 99876-5432") else {
            unreachable!("valid mobile")
        };
        assert_eq!(mobile.kind(), PhoneKind::Mobile);
        assert_eq!(mobile.formatted(), "(21) 99876-5432");
        assert_eq!(mobile.area_code(), Some(21));
        assert!(!mobile.was_repaired());

        let Ok(landline) = Phone::parse("(48) 2345-6789") else {
            unreachable!("valid landline")
        };
        assert_eq!(landline.kind(), PhoneKind::Landline);
        assert_eq!(landline.formatted(), "(48) 2345-6789");
        assert_eq!(landline.as_str(), "+554823456789");
        assert_eq!(landline.area_code(), Some(48));

        let Ok(foreign) = Phone::parse("+351 21 234 5678") else {
            unreachable!("valid foreign number")
        };
        assert_eq!(foreign.kind(), PhoneKind::Foreign);
        assert_eq!(foreign.as_str(), "+351212345678");
        assert_eq!(foreign.formatted(), "+351212345678");
        assert_eq!(foreign.area_code(), None);
        // 8 and 15 digits are the bounds
        assert!(Phone::is_valid("+1234 5678"));
        assert!(Phone::is_valid("+123 456 789 012 345"));
        assert_eq!(
            e164("+123456789012345").as_deref(),
            Some("+123456789012345")
        );
    }

    #[test]
    fn legacy_mobile_repair() {
        assert_eq!(code("(11) 8765-4321"), Some(ErrorCode::PhoneLegacyMobile));
        assert_eq!(code("(11) 6765-4321"), Some(ErrorCode::PhoneLegacyMobile));
        let Ok(repaired) = Phone::parse_with("(11) 8765-4321", REPAIR) else {
            unreachable!("repairable")
        };
        assert_eq!(repaired.kind(), PhoneKind::Mobile);
        assert_eq!(repaired.as_str(), "+5511987654321");
        assert_eq!(repaired.formatted(), "(11) 98765-4321");
        assert!(repaired.was_repaired());
        // equal to the number given with its ninth digit, and it round-trips
        assert_eq!(Phone::parse("11 98765-4321").ok(), Some(repaired));
        assert_eq!(Phone::parse(repaired.as_str()).ok(), Some(repaired));
        // the repair does not touch landlines or 9-digit numbers
        assert_eq!(
            Phone::parse_with("(11) 3456-7890", REPAIR)
                .map(|p| p.was_repaired())
                .ok(),
            Some(false)
        );
        assert!(Phone::is_valid_with("+55 11 7765 4321", REPAIR));
        assert!(!Phone::is_valid_with("+55 11 1765 4321", REPAIR));
    }

    #[test]
    fn every_error_code() {
        assert_eq!(code(""), Some(ErrorCode::PhoneEmpty));
        assert_eq!(code("  \u{a0}"), Some(ErrorCode::PhoneEmpty));
        assert_eq!(
            code("11 98765-4321 ramal 2"),
            Some(ErrorCode::PhoneCharacter)
        );
        assert_eq!(code("11 98765+4321"), Some(ErrorCode::PhoneCharacter));
        assert_eq!(code("++55 11 98765-4321"), Some(ErrorCode::PhoneCharacter));
        assert_eq!(code("11/98765-4321"), Some(ErrorCode::PhoneCharacter));
        assert_eq!(code("+0 11 2345 6789"), Some(ErrorCode::PhoneCountryCode));
        assert_eq!(code("+1 234 567"), Some(ErrorCode::PhoneLength));
        assert_eq!(code("+1 234 567 890 123 456"), Some(ErrorCode::PhoneLength));
        assert_eq!(code("+"), Some(ErrorCode::PhoneLength));
        assert_eq!(code("()"), Some(ErrorCode::PhoneLength));
        assert_eq!(code("0800 123 4567"), Some(ErrorCode::PhoneNonGeographic));
        assert_eq!(code("0300 123 4567"), Some(ErrorCode::PhoneNonGeographic));
        assert_eq!(code("0500 123 4567"), Some(ErrorCode::PhoneNonGeographic));
        assert_eq!(code("0900 123 4567"), Some(ErrorCode::PhoneNonGeographic));
        assert_eq!(code("4004-1234"), Some(ErrorCode::PhoneNonGeographic));
        assert_eq!(code("3003 1234"), Some(ErrorCode::PhoneNonGeographic));
        assert_eq!(code("98765-4321"), Some(ErrorCode::PhoneLength));
        assert_eq!(code("0 98765-4321"), Some(ErrorCode::PhoneLength)); // 10 digits after a 0
        assert_eq!(code("0 12 34 11 98765-4321"), Some(ErrorCode::PhoneLength)); // 15
        assert_eq!(code("+55 98765-4321"), Some(ErrorCode::PhoneLength));
        assert_eq!(code("119876543210"), Some(ErrorCode::PhoneLength));
        assert_eq!(code("(10) 98765-4321"), Some(ErrorCode::PhoneAreaCode));
        assert_eq!(code("(20) 3456-7890"), Some(ErrorCode::PhoneAreaCode));
        assert_eq!(code("+55 (52) 3456-7890"), Some(ErrorCode::PhoneAreaCode));
        assert_eq!(code("(11) 88765-4321"), Some(ErrorCode::PhoneSubscriber));
        assert_eq!(code("(11) 1345-6789"), Some(ErrorCode::PhoneSubscriber));
        assert_eq!(code("(11) 0345-6789"), Some(ErrorCode::PhoneSubscriber));
        assert_eq!(code("(11) 8765-4321"), Some(ErrorCode::PhoneLegacyMobile));
    }

    #[test]
    fn area_codes() {
        let valid: Vec<u8> = (0..100).filter(|&d| is_area_code(d)).collect();
        assert_eq!(valid.len(), 67);
        for ddd in [
            11, 19, 21, 22, 24, 27, 28, 31, 35, 37, 38, 41, 49, 51, 53, 55, 61, 69, 71, 73, 75, 77,
            79, 81, 89, 91, 99,
        ] {
            assert!(is_area_code(ddd), "{ddd}");
            assert!(Phone::is_valid(&format!("{ddd} 98765 4321")), "{ddd}");
        }
        for ddd in [
            0, 1, 10, 20, 23, 25, 26, 29, 30, 36, 39, 40, 50, 52, 56, 60, 70, 72, 76, 78, 80, 90,
        ] {
            assert!(!is_area_code(ddd), "{ddd}");
            // with +55, so that 00 and 01 are not read as a trunk 0
            assert_eq!(
                code(&format!("+55 {ddd:02} 98765 4321")),
                Some(ErrorCode::PhoneAreaCode),
                "{ddd}"
            );
        }
        // DDD 55 (Rio Grande do Sul) without a country code is not mistaken for one
        assert_eq!(e164("(55) 98765-4321").as_deref(), Some("+5555987654321"));
        assert_eq!(e164("55 55 98765-4321").as_deref(), Some("+5555987654321"));
    }

    #[test]
    fn messages() {
        let msg = |s: &str| Phone::parse(s).err().map(|e| e.message).unwrap_or_default();
        assert_eq!(
            msg("98765-4321"),
            "a Brazilian number needs the two-digit area code plus 8 or 9 digits, found 9 digits"
        );
        assert_eq!(
            msg("(20) 3456-7890"),
            "20 is not a Brazilian area code (DDD)"
        );
        assert_eq!(
            msg("(11) 88765-4321"),
            "a 9-digit number is a mobile and starts with 9, found 8"
        );
        assert_eq!(
            msg("(11) 1345-6789"),
            "an 8-digit landline starts with 2 to 5, found 1"
        );
        assert!(msg("(11) 8765-4321").contains("repair_legacy_mobile"));
        assert!(msg("11 9876x").ends_with("found 'x'"));
        let long = "9".repeat(50_000);
        assert!(msg(&long).ends_with("found 50000 digits"));
        assert!(msg(&format!("+{long}")).ends_with("found 50000"));
        assert!(msg(&format!("+55{long}")).ends_with("found 50000 digits"));
        assert_eq!(
            code(&format!("+0{long}")),
            Some(ErrorCode::PhoneCountryCode)
        );
        assert_eq!(code(&format!("0{long}")), Some(ErrorCode::PhoneLength));
    }

    #[test]
    fn traits() {
        let phone = Phone::parse("(11) 98765-4321").ok();
        let json = phone.and_then(|p| serde_json::to_string(&p).ok());
        assert_eq!(json.as_deref(), Some(r#""+5511987654321""#));
        assert_eq!(
            serde_json::from_str::<Phone>(r#""11 98765 4321""#).ok(),
            phone
        );
        assert!(serde_json::from_str::<Phone>(r#""11 8765 4321""#).is_err());
        assert_eq!("+5511987654321".parse::<Phone>().ok(), phone);
        assert_eq!(
            phone.map(|p| format!("{p:?}")).as_deref(),
            Some(r#"Phone { e164: "+5511987654321", kind: Mobile, repaired: false }"#)
        );
        assert_eq!(
            serde_json::from_str::<PhoneKind>(r#""foreign""#).ok(),
            Some(PhoneKind::Foreign)
        );
        assert_eq!(
            serde_json::from_str::<PhoneOptions>(r#"{"repair_legacy_mobile":true}"#).ok(),
            Some(REPAIR)
        );
        assert!(serde_json::from_str::<PhoneOptions>(r#"{"repair":true}"#).is_err());
    }
}
