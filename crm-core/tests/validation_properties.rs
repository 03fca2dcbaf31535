//! Properties of the Brazilian validators: no input panics, `is_valid` always agrees with
//! `parse`, every valid value survives its own bare and formatted forms (and serde), numbers
//! built with correctly computed check digits are always valid and a changed check digit is
//! always refused.
//!
//! The check digits here are computed by a separate, deliberately plain implementation of
//! the rules in `DOMAIN.md`, not by the crate's own helpers.

use crm_core::{
    Cep, Cnpj, Cpf, Creci, CreciKind, Document, Email, ErrorCode, Phone, PhoneKind, PhoneOptions,
    Uf,
};
use proptest::prelude::*;

const REPAIR: PhoneOptions = PhoneOptions {
    repair_legacy_mobile: true,
};

const AREA_CODES: &[u8] = &[
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 24, 27, 28, 31, 32, 33, 34, 35, 37, 38, 41, 42, 43,
    44, 45, 46, 47, 48, 49, 51, 53, 54, 55, 61, 62, 63, 64, 65, 66, 67, 68, 69, 71, 73, 74, 75, 77,
    79, 81, 82, 83, 84, 85, 86, 87, 88, 89, 91, 92, 93, 94, 95, 96, 97, 98, 99,
];

// --- independent check-digit arithmetic --------------------------------------------------

fn remainder_rule(sum: u32) -> u32 {
    let r = sum % 11;
    if r < 2 { 0 } else { 11 - r }
}

/// CPF check digits of nine digit values.
fn cpf_check(base: &[u32]) -> (u32, u32) {
    let s1: u32 = base.iter().zip((2..=10).rev()).map(|(d, w)| d * w).sum();
    let c1 = remainder_rule(s1);
    let s2: u32 = base
        .iter()
        .chain(std::iter::once(&c1))
        .zip((2..=11).rev())
        .map(|(d, w)| d * w)
        .sum();
    (c1, remainder_rule(s2))
}

/// CNPJ check digits of twelve characters `0-9A-Z` (value = ASCII code - 48).
fn cnpj_check(base: &str) -> (u32, u32) {
    let values: Vec<u32> = base.bytes().map(|b| u32::from(b) - 48).collect();
    let w1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
    let w2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
    let s1: u32 = values.iter().zip(w1).map(|(v, w)| v * w).sum();
    let c1 = remainder_rule(s1);
    let s2: u32 = values
        .iter()
        .chain(std::iter::once(&c1))
        .zip(w2)
        .map(|(v, w)| v * w)
        .sum();
    (c1, remainder_rule(s2))
}

fn digit(v: u32) -> char {
    char::from_digit(v, 10).unwrap_or('?')
}

// --- strategies ---------------------------------------------------------------------------

/// Any text, and text made of the characters the parsers care about, so that random inputs
/// reach the deep paths (lengths, check digits, area codes) and not only the character check.
fn messy() -> impl Strategy<Value = String> {
    prop_oneof![
        ".*",
        "\\PC{0,40}",
        "[0-9 .\\-]{0,20}",
        "[0-9A-Za-z .\\-/]{0,24}",
        "\\+?[0-9 ()\\-.]{0,24}",
        "(?i)(creci)?[ \\-/:]?[a-z]{0,3}[ \\-/:.]?[0-9.]{0,9}[ \\-/]?[a-z]{0,2}",
        "[a-zA-Z0-9.+_\\-]{0,12}@[a-zA-Z0-9.\\-]{0,16}",
        "[A-Za-zÀ-ÿ ]{0,24}",
    ]
}

/// Long inputs: many characters from the interesting sets, or a valid value repeated.
fn long() -> impl Strategy<Value = String> {
    let chars = prop::sample::select(vec![
        '0', '1', '5', '9', '.', '-', '/', ' ', '+', '(', ')', 'A', 'f', 'é', '\u{301}', '@',
    ]);
    prop_oneof![
        prop::collection::vec(chars, 0..5_000).prop_map(String::from_iter),
        (0usize..2_000).prop_map(|n| "529.982.247-25".repeat(n)),
        (0usize..2_000).prop_map(|n| format!("+{}", "9".repeat(n))),
        (0usize..2_000).prop_map(|n| format!("{}@example.com", "a".repeat(n))),
        (0usize..2_000).prop_map(|n| format!("CRECI-SP {}", "1.".repeat(n))),
    ]
}

fn any_input() -> impl Strategy<Value = String> {
    prop_oneof![4 => messy(), 1 => long()]
}

fn cpf_base() -> impl Strategy<Value = Vec<u32>> {
    prop::collection::vec(0u32..10, 9)
}

fn cnpj_base() -> impl Strategy<Value = String> {
    prop_oneof!["[0-9]{12}", "[0-9A-Z]{12}"]
}

/// Renders a bare document with a random mask: bare, masked, or with stray spaces.
fn cpf_text(bare: &str, style: u8) -> String {
    match style % 3 {
        0 => bare.to_owned(),
        1 => format!(
            "{}.{}.{}-{}",
            &bare[0..3],
            &bare[3..6],
            &bare[6..9],
            &bare[9..11]
        ),
        _ => format!(" {} {} ", &bare[..5], &bare[5..]),
    }
}

// --- properties ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_input_panics_and_is_valid_agrees(input in any_input()) {
        prop_assert_eq!(Cpf::is_valid(&input), Cpf::parse(&input).is_ok());
        prop_assert_eq!(Cpf::parse_lenient(&input).is_ok(), Cpf::parse_lenient(&input).is_ok_and(|c| Cpf::parse_lenient(c.as_str()) == Ok(c)));
        prop_assert_eq!(Cnpj::is_valid(&input), Cnpj::parse(&input).is_ok());
        prop_assert_eq!(Document::is_valid(&input), Document::parse(&input).is_ok());
        prop_assert_eq!(Cep::is_valid(&input), Cep::parse(&input).is_ok());
        prop_assert_eq!(Uf::is_valid(&input), Uf::parse(&input).is_ok());
        prop_assert_eq!(Phone::is_valid(&input), Phone::parse(&input).is_ok());
        prop_assert_eq!(Phone::is_valid_with(&input, REPAIR), Phone::parse_with(&input, REPAIR).is_ok());
        prop_assert_eq!(Email::is_valid(&input), Email::parse(&input).is_ok());
        prop_assert_eq!(Creci::is_valid(&input), Creci::parse(&input).is_ok());
    }

    #[test]
    fn messages_stay_short(input in any_input()) {
        let messages = [
            Cpf::parse(&input).err(),
            Cnpj::parse(&input).err(),
            Document::parse(&input).err(),
            Cep::parse(&input).err(),
            Uf::parse(&input).err(),
            Phone::parse(&input).err(),
            Email::parse(&input).err(),
            Creci::parse(&input).err(),
        ];
        for e in messages.into_iter().flatten() {
            prop_assert!(e.message.chars().count() <= 160, "{}", e.message);
            prop_assert!(e.path.is_empty());
            prop_assert!(e.code.is_validation());
        }
    }

    #[test]
    fn every_parsed_value_round_trips(input in any_input()) {
        if let Ok(v) = Cpf::parse(&input) {
            prop_assert_eq!(Cpf::parse(&v.formatted()).ok(), Some(v));
            prop_assert_eq!(Cpf::parse(v.as_str()).ok(), Some(v));
        }
        if let Ok(v) = Cnpj::parse(&input) {
            prop_assert_eq!(Cnpj::parse(&v.formatted()).ok(), Some(v));
            prop_assert_eq!(Cnpj::parse(v.as_str()).ok(), Some(v));
        }
        if let Ok(v) = Document::parse(&input) {
            prop_assert_eq!(Document::parse(&v.formatted()).ok(), Some(v));
            prop_assert_eq!(Document::parse(v.as_str()).ok(), Some(v));
        }
        if let Ok(v) = Cep::parse(&input) {
            prop_assert_eq!(Cep::parse(&v.formatted()).ok(), Some(v));
            prop_assert_eq!(Cep::parse(v.as_str()).ok(), Some(v));
        }
        if let Ok(v) = Uf::parse(&input) {
            prop_assert_eq!(Uf::parse(v.code()).ok(), Some(v));
            prop_assert_eq!(Uf::parse(v.name()).ok(), Some(v));
        }
        for options in [PhoneOptions::default(), REPAIR] {
            if let Ok(v) = Phone::parse_with(&input, options) {
                prop_assert_eq!(Phone::parse(&v.formatted()).ok(), Some(v));
                prop_assert_eq!(Phone::parse(v.as_str()).ok(), Some(v));
            }
        }
        if let Ok(v) = Email::parse(&input) {
            prop_assert_eq!(Email::parse(v.as_str()).ok(), Some(v.clone()));
            prop_assert_eq!(Email::parse(&v.to_string()).ok(), Some(v));
        }
        if let Ok(v) = Creci::parse(&input) {
            prop_assert_eq!(Creci::parse(&v.formatted()).ok(), Some(v));
        }
    }

    #[test]
    fn cpf_with_computed_check_digits_is_valid(base in cpf_base(), style in any::<u8>(), wrong in 1u32..10, pos in 9usize..11) {
        let (c1, c2) = cpf_check(&base);
        let mut bare: String = base.iter().copied().map(digit).collect();
        bare.push(digit(c1));
        bare.push(digit(c2));
        let text = cpf_text(&bare, style);
        let repeated = bare.bytes().all(|b| Some(b) == bare.bytes().next());
        if repeated {
            prop_assert_eq!(Cpf::parse(&text).err().map(|e| e.code), Some(ErrorCode::CpfRepeated));
            prop_assert!(Cpf::parse_lenient(&text).is_ok());
        } else {
            let cpf = Cpf::parse(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(cpf.as_str(), bare.as_str());
            prop_assert_eq!(Cpf::parse(&cpf.formatted()).ok(), Some(cpf));
            prop_assert_eq!(Document::parse(&text).ok(), Some(Document::Cpf(cpf)));
            let json = serde_json::to_string(&cpf).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&json, &format!("\"{bare}\""));
            prop_assert_eq!(serde_json::from_str::<Cpf>(&json).ok(), Some(cpf));
        }
        // change one check digit: always refused
        let mut changed: Vec<char> = bare.chars().collect();
        let old = changed[pos].to_digit(10).unwrap_or(0);
        changed[pos] = digit((old + wrong) % 10);
        let changed: String = changed.into_iter().collect();
        prop_assert!(!Cpf::is_valid(&changed), "{}", changed);
        // one repeated digit always passes the arithmetic, so only that is accepted leniently
        let changed_repeated = changed.bytes().all(|b| Some(b) == changed.bytes().next());
        prop_assert_eq!(Cpf::parse_lenient(&changed).is_ok(), changed_repeated);
        let code = Cpf::parse(&changed).err().map(|e| e.code);
        prop_assert!(matches!(code, Some(ErrorCode::CpfCheckDigit | ErrorCode::CpfRepeated)), "{:?}", code);
    }

    #[test]
    fn cnpj_with_computed_check_digits_is_valid(base in cnpj_base(), lower in any::<bool>(), masked in any::<bool>(), wrong in 1u32..10, pos in 12usize..14) {
        let (c1, c2) = cnpj_check(&base);
        let bare = format!("{base}{}{}", digit(c1), digit(c2));
        let mut text = if masked {
            format!("{}.{}.{}/{}-{}", &bare[0..2], &bare[2..5], &bare[5..8], &bare[8..12], &bare[12..14])
        } else {
            bare.clone()
        };
        if lower {
            text = text.to_lowercase();
        }
        let repeated = bare.bytes().all(|b| Some(b) == bare.bytes().next());
        if repeated {
            prop_assert_eq!(Cnpj::parse(&text).err().map(|e| e.code), Some(ErrorCode::CnpjRepeated));
        } else {
            let cnpj = Cnpj::parse(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(cnpj.as_str(), bare.as_str());
            prop_assert_eq!(cnpj.is_alphanumeric(), bare.bytes().any(|b| b.is_ascii_uppercase()));
            prop_assert_eq!(cnpj.root(), &bare[..8]);
            prop_assert_eq!(cnpj.is_head_office(), &bare[8..12] == "0001");
            prop_assert_eq!(Cnpj::parse(&cnpj.formatted()).ok(), Some(cnpj));
            prop_assert_eq!(Document::parse(&text).ok(), Some(Document::Cnpj(cnpj)));
            let json = serde_json::to_string(&cnpj).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(serde_json::from_str::<Cnpj>(&json).ok(), Some(cnpj));
        }
        let mut changed: Vec<char> = bare.chars().collect();
        let old = changed[pos].to_digit(10).unwrap_or(0);
        changed[pos] = digit((old + wrong) % 10);
        let changed: String = changed.into_iter().collect();
        let code = Cnpj::parse(&changed).err().map(|e| e.code);
        prop_assert!(matches!(code, Some(ErrorCode::CnpjCheckDigit | ErrorCode::CnpjRepeated)), "{:?}", code);
        prop_assert!(!Cnpj::is_valid(&changed));
    }

    #[test]
    fn brazilian_phones_round_trip_through_e164(
        ddd in prop::sample::select(AREA_CODES),
        mobile in any::<bool>(),
        first in 2u8..6,
        rest in "[0-9]{7}",
        style in 0u8..7,
        carrier in "[1-9][0-9]",
    ) {
        let subscriber = if mobile { format!("9{first}{rest}") } else { format!("{first}{rest}") };
        let national = format!("{ddd}{subscriber}");
        let e164 = format!("+55{national}");
        let split = subscriber.len() - 4;
        let (head, tail) = subscriber.split_at(split);
        let text = match style {
            0 => national.clone(),
            1 => format!("({ddd}) {head}-{tail}"),
            2 => format!("+55 ({ddd}) {head}-{tail}"),
            3 => format!("55 {ddd} {head} {tail}"),
            4 => format!("0{ddd} {head}.{tail}"),
            5 => format!("0 {carrier} {ddd} {head}-{tail}"),
            _ => e164.clone(),
        };
        let phone = Phone::parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(phone.as_str(), e164.as_str());
        prop_assert_eq!(phone.kind(), if mobile { PhoneKind::Mobile } else { PhoneKind::Landline });
        prop_assert_eq!(phone.area_code(), Some(ddd));
        prop_assert_eq!(phone.formatted(), format!("({ddd}) {head}-{tail}"));
        prop_assert_eq!(Phone::parse(phone.as_str()).ok(), Some(phone));
        prop_assert_eq!(Phone::parse(&phone.formatted()).ok(), Some(phone));
        let json = serde_json::to_string(&phone).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&json, &format!("\"{e164}\""));
        prop_assert_eq!(serde_json::from_str::<Phone>(&json).ok(), Some(phone));
    }

    #[test]
    fn legacy_mobiles_are_repaired_only_on_request(
        ddd in prop::sample::select(AREA_CODES),
        first in 6u8..10,
        rest in "[0-9]{7}",
    ) {
        let text = format!("({ddd}) {first}{rest}");
        prop_assert_eq!(Phone::parse(&text).err().map(|e| e.code), Some(ErrorCode::PhoneLegacyMobile));
        let phone = Phone::parse_with(&text, REPAIR).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(phone.was_repaired());
        prop_assert_eq!(phone.kind(), PhoneKind::Mobile);
        let expected = format!("+55{ddd}9{first}{rest}");
        prop_assert_eq!(phone.as_str(), expected.as_str());
        prop_assert_eq!(Phone::parse(phone.as_str()).ok(), Some(phone));
    }

    #[test]
    fn foreign_phones_round_trip_through_e164(number in "[1-9][0-9]{7,14}", spaced in any::<bool>()) {
        prop_assume!(!number.starts_with("55"));
        let text = if spaced { format!("+{} {}", &number[..2], &number[2..]) } else { format!("+{number}") };
        let phone = Phone::parse(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(phone.kind(), PhoneKind::Foreign);
        prop_assert_eq!(phone.as_str(), format!("+{number}"));
        prop_assert_eq!(phone.formatted(), format!("+{number}"));
        prop_assert_eq!(phone.area_code(), None);
        prop_assert_eq!(Phone::parse(phone.as_str()).ok(), Some(phone));
    }

    #[test]
    fn ceps_round_trip(value in 1_000_000u32..100_000_000, masked in any::<bool>()) {
        let bare = format!("{value:08}");
        let text = if masked { format!("{}-{}", &bare[..5], &bare[5..]) } else { bare.clone() };
        let cep = Cep::parse(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(cep.as_str(), bare.as_str());
        prop_assert_eq!(cep.uf(), Uf::from_cep_prefix(value / 1000));
        prop_assert_eq!(Cep::parse(&cep.formatted()).ok(), Some(cep));
        prop_assert_eq!(serde_json::from_str::<Cep>(&format!("\"{bare}\"")).ok(), Some(cep));
    }

    #[test]
    fn ufs_parse_from_code_and_name(uf in prop::sample::select(Uf::ALL.to_vec()), upper in any::<bool>()) {
        let (code, name) = if upper {
            (uf.code().to_owned(), uf.name().to_uppercase())
        } else {
            (uf.code().to_lowercase(), uf.name().to_lowercase())
        };
        prop_assert_eq!(Uf::parse(&code).ok(), Some(uf));
        prop_assert_eq!(Uf::parse(&name).ok(), Some(uf));
        prop_assert_eq!(Uf::parse(&name.replace(' ', "  \t ")).ok(), Some(uf));
        prop_assert_eq!(Uf::parse(&uf.to_string()).ok(), Some(uf));
    }

    #[test]
    fn emails_keep_the_local_part_and_lower_the_domain(
        local in "[a-zA-Z0-9][a-zA-Z0-9._%+\\-]{0,20}",
        labels in prop::collection::vec("[a-zA-Z0-9]{1,10}", 1..4),
        tld in "[a-zA-Z]{2,6}",
    ) {
        let domain = format!("{}.{tld}", labels.join("."));
        let text = format!("{local}@{domain}");
        let email = Email::parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(email.local_part(), local.as_str());
        prop_assert_eq!(email.domain(), domain.to_lowercase());
        prop_assert_eq!(Email::parse(email.as_str()).ok(), Some(email.clone()));
        let key = email.match_key();
        prop_assert!(!key.chars().any(|c| c.is_ascii_uppercase()));
        let expected_end = format!("@{}", domain.to_lowercase());
        prop_assert!(key.ends_with(&expected_end), "{} {}", key, expected_end);
        prop_assert!(!key.split('@').next().unwrap_or_default().get(1..).unwrap_or_default().contains('+'));
    }

    #[test]
    fn crecis_parse_in_any_common_form(
        uf in prop::sample::select(Uf::ALL.to_vec()),
        number in 1u32..1_000_000,
        kind in prop::option::of(prop::sample::select(vec![CreciKind::Individual, CreciKind::Company])),
        style in 0u8..5,
    ) {
        let letter = kind.map(|k| k.letter().to_string()).unwrap_or_default();
        let code = uf.code();
        let dotted = if number >= 1000 { format!("{}.{:03}", number / 1000, number % 1000) } else { number.to_string() };
        let text = match style {
            0 => format!("CRECI-{code} {number}-{letter}"),
            1 => format!("creci/{} {letter}-{number}", code.to_lowercase()),
            2 => format!("{number:06}{letter}/{code}"),
            3 => format!("CRECI {code} {dotted} {letter}"),
            _ => format!("{code}:{number}"),
        };
        let text = text.trim_end_matches(['-', ' ']).to_owned();
        let creci = Creci::parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(creci.uf(), uf);
        prop_assert_eq!(creci.number(), number);
        let expected_kind = if style == 4 { None } else { kind };
        prop_assert_eq!(creci.kind(), expected_kind);
        prop_assert_eq!(Creci::parse(&creci.formatted()).ok(), Some(creci));
        let json = serde_json::to_string(&creci).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(serde_json::from_str::<Creci>(&json).ok(), Some(creci));
    }
}

mod email_fast_path {
    use proptest::prelude::*;
    use validator::ValidateEmail;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// The fast path of `Email` never accepts what the `validator` crate refuses.
        #[test]
        fn fast_path_is_a_subset_of_validator(s in "[a-zA-Z0-9.+_@-]{1,12}(@[a-zA-Z0-9.-]{0,12})?") {
            // The reference: the validator crate alone, on the normalised address.
            let t = s.trim();
            let reference = t
                .rsplit_once('@')
                .is_some_and(|(l, d)| format!("{l}@{}", d.to_lowercase()).as_str().validate_email());
            prop_assert_eq!(crm_core::Email::is_valid(&s), reference, "{}", s);
            prop_assert_eq!(crm_core::Email::parse(&s).is_ok(), reference, "{}", s);
        }
    }
}
