//! Plain values (documents and contact data) by kind, so a host can validate one value or a
//! whole column with a kind named at run time (`"cpf"`, `"phone"`, …).

use crate::{
    Cep, Cnpj, Cpf, Creci, Document, Email, ErrorCode, FieldError, Phone, PhoneOptions, Uf,
};

/// The kinds of plain value a host can validate by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueKind {
    /// CPF (one-digit-repeated numbers refused).
    Cpf,
    /// CPF accepting one-digit-repeated numbers (`Cpf::parse_lenient`).
    CpfLenient,
    /// CNPJ, numeric or alphanumeric.
    Cnpj,
    /// CPF or CNPJ.
    Document,
    /// CEP (postal code).
    Cep,
    /// A state (code or name).
    Uf,
    /// A phone number (legacy 8-digit mobiles refused).
    Phone,
    /// A phone number, legacy 8-digit mobiles repaired with a leading 9.
    PhoneRepair,
    /// An e-mail address.
    Email,
    /// A CRECI (broker registration).
    Creci,
}

impl ValueKind {
    /// Every kind with its name.
    pub const ALL: [(&'static str, ValueKind); 10] = [
        ("cpf", Self::Cpf),
        ("cpf_lenient", Self::CpfLenient),
        ("cnpj", Self::Cnpj),
        ("document", Self::Document),
        ("cep", Self::Cep),
        ("uf", Self::Uf),
        ("phone", Self::Phone),
        ("phone_repair", Self::PhoneRepair),
        ("email", Self::Email),
        ("creci", Self::Creci),
    ];

    /// The kind with this name (`cpf`, `cpf_lenient`, `cnpj`, `document`, `cep`, `uf`,
    /// `phone`, `phone_repair`, `email`, `creci`); an unknown name is an `input.json` error
    /// naming the known ones.
    pub fn parse(name: &str) -> Result<Self, FieldError> {
        Self::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, k)| *k)
            .ok_or_else(|| {
                let known: Vec<&str> = Self::ALL.iter().map(|(n, _)| *n).collect();
                FieldError::new(
                    ErrorCode::Json,
                    format!(
                        "unknown kind `{}`; expected one of {}",
                        name.chars().take(40).collect::<String>(),
                        known.join(", ")
                    ),
                )
            })
    }

    /// The kind's name.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("", |(n, _)| n)
    }
}

/// Checks one value: `Ok(())` or the problem (with an empty path).
pub fn check(kind: ValueKind, input: &str) -> Result<(), FieldError> {
    canonical(kind, input).map(|_| ())
}

/// The canonical text of a valid value, as a record stores it: the bare CPF, CNPJ or CEP, the
/// state code, the E.164 phone, the e-mail with its domain lower-cased, the formatted CRECI.
///
/// ```
/// use realestate_crm::host::{ValueKind, canonical};
/// assert_eq!(canonical(ValueKind::Phone, "(11) 98765-4321").unwrap(), "+5511987654321");
/// ```
pub fn canonical(kind: ValueKind, input: &str) -> Result<String, FieldError> {
    Ok(match kind {
        ValueKind::Cpf => Cpf::parse(input)?.as_str().to_owned(),
        ValueKind::CpfLenient => Cpf::parse_lenient(input)?.as_str().to_owned(),
        ValueKind::Cnpj => Cnpj::parse(input)?.as_str().to_owned(),
        ValueKind::Document => Document::parse(input)?.as_str().to_owned(),
        ValueKind::Cep => Cep::parse(input)?.as_str().to_owned(),
        ValueKind::Uf => Uf::parse(input)?.code().to_owned(),
        ValueKind::Phone => Phone::parse(input)?.as_str().to_owned(),
        ValueKind::PhoneRepair => Phone::parse_with(
            input,
            PhoneOptions {
                repair_legacy_mobile: true,
            },
        )?
        .as_str()
        .to_owned(),
        ValueKind::Email => Email::parse(input)?.as_str().to_owned(),
        ValueKind::Creci => Creci::parse(input)?.formatted(),
    })
}
