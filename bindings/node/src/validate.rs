//! Documents and contact data: one value at a time, arrays of values, and a `Buffer` of
//! newline-separated values (the fast path for millions of documents: one copy of bytes in,
//! one byte of status per value out, no JS string per value).

use crate::errors::{run, to_js};
use crate::task::Job;
use napi::bindgen_prelude::{Array, AsyncTask, Either, Uint8Array, Uint8ArraySlice, Unknown};
use napi::{Env, ValueType};
use napi_derive::napi;
use realestate_crm::host::{self, HostError, ValueKind};
use realestate_crm::{
    Cep, Cnpj, Cpf, Creci, CreciKind, Document, Email, ErrorCode, Phone, PhoneKind, PhoneOptions,
    Uf,
};

/// A CPF: its bare digits and its formatted form (`529.982.247-25`).
#[napi(object)]
pub struct ParsedCpf {
    /// The 11 digits.
    pub bare: String,
    /// `000.000.000-00`.
    pub formatted: String,
}

/// A CNPJ (numeric or alphanumeric).
#[napi(object)]
pub struct ParsedCnpj {
    /// The 14 characters.
    pub bare: String,
    /// `00.000.000/0000-00`.
    pub formatted: String,
}

/// A CPF or a CNPJ.
#[napi(object)]
pub struct ParsedDocument {
    /// Which one it is.
    #[napi(ts_type = "'cpf' | 'cnpj'")]
    pub kind: String,
    /// The bare characters.
    pub bare: String,
    /// The formatted form.
    pub formatted: String,
}

/// A CEP with its state.
#[napi(object)]
pub struct ParsedCep {
    /// The 8 digits.
    pub bare: String,
    /// `00000-000`.
    pub formatted: String,
    /// The state of the Correios range the CEP falls in; null outside the table.
    pub uf: Option<String>,
}

/// A state.
#[napi(object)]
pub struct ParsedUf {
    /// The two-letter code (`SP`).
    pub code: String,
    /// The name (`São Paulo`).
    pub name: String,
}

/// A phone number.
#[napi(object)]
pub struct ParsedPhone {
    /// E.164 (`+5511987654321`).
    pub e164: String,
    /// Mobile, landline or foreign.
    #[napi(ts_type = "'mobile' | 'landline' | 'foreign'")]
    pub kind: String,
    /// The national format (`(11) 98765-4321`).
    pub formatted: String,
}

/// An e-mail address.
#[napi(object)]
pub struct ParsedEmail {
    /// The address with its domain lower-cased.
    pub normalized: String,
    /// The key duplicate detection compares.
    pub match_key: String,
}

/// A CRECI registration.
#[napi(object)]
pub struct ParsedCreci {
    /// The state of the regional council.
    pub uf: String,
    /// The registration number.
    pub number: u32,
    /// `F` (a person) or `J` (a company), when written.
    #[napi(ts_type = "'F' | 'J' | null")]
    pub kind: Option<String>,
    /// The formatted registration (`CRECI-SP 12345-F`).
    pub formatted: String,
}

fn field(e: realestate_crm::FieldError) -> HostError {
    HostError::from(e)
}

/// A CPF's bare and formatted forms; `allowRepeated` accepts one-digit-repeated numbers.
#[napi]
pub fn parse_cpf(env: Env, value: String, allow_repeated: Option<bool>) -> napi::Result<ParsedCpf> {
    run(&env, || {
        let v = if allow_repeated.unwrap_or(false) {
            Cpf::parse_lenient(&value)
        } else {
            Cpf::parse(&value)
        }
        .map_err(field)?;
        Ok(ParsedCpf {
            bare: v.as_str().to_owned(),
            formatted: v.formatted(),
        })
    })
}

/// A CNPJ's bare and formatted forms.
#[napi]
pub fn parse_cnpj(env: Env, value: String) -> napi::Result<ParsedCnpj> {
    run(&env, || {
        let v = Cnpj::parse(&value).map_err(field)?;
        Ok(ParsedCnpj {
            bare: v.as_str().to_owned(),
            formatted: v.formatted(),
        })
    })
}

/// A CPF or CNPJ.
#[napi]
pub fn parse_document(env: Env, value: String) -> napi::Result<ParsedDocument> {
    run(&env, || {
        let v = Document::parse(&value).map_err(field)?;
        Ok(ParsedDocument {
            kind: if v.is_cpf() { "cpf" } else { "cnpj" }.to_owned(),
            bare: v.as_str().to_owned(),
            formatted: v.formatted(),
        })
    })
}

/// A CEP with its state.
#[napi]
pub fn parse_cep(env: Env, value: String) -> napi::Result<ParsedCep> {
    run(&env, || {
        let v = Cep::parse(&value).map_err(field)?;
        Ok(ParsedCep {
            bare: v.as_str().to_owned(),
            formatted: v.formatted(),
            uf: v.uf().map(|u| u.code().to_owned()),
        })
    })
}

/// A state by code or name.
#[napi]
pub fn parse_uf(env: Env, value: String) -> napi::Result<ParsedUf> {
    run(&env, || {
        let v = Uf::parse(&value).map_err(field)?;
        Ok(ParsedUf {
            code: v.code().to_owned(),
            name: v.name().to_owned(),
        })
    })
}

/// A phone number; `repairLegacyMobile` adds the 9 to old 8-digit mobiles.
#[napi]
pub fn parse_phone(
    env: Env,
    value: String,
    repair_legacy_mobile: Option<bool>,
) -> napi::Result<ParsedPhone> {
    run(&env, || {
        let v = Phone::parse_with(
            &value,
            PhoneOptions {
                repair_legacy_mobile: repair_legacy_mobile.unwrap_or(false),
            },
        )
        .map_err(field)?;
        let kind = match v.kind() {
            PhoneKind::Mobile => "mobile",
            PhoneKind::Landline => "landline",
            _ => "foreign",
        };
        Ok(ParsedPhone {
            e164: v.as_str().to_owned(),
            kind: kind.to_owned(),
            formatted: v.formatted(),
        })
    })
}

/// An e-mail address.
#[napi]
pub fn parse_email(env: Env, value: String) -> napi::Result<ParsedEmail> {
    run(&env, || {
        let v = Email::parse(&value).map_err(field)?;
        Ok(ParsedEmail {
            normalized: v.as_str().to_owned(),
            match_key: v.match_key(),
        })
    })
}

/// A CRECI registration.
#[napi]
pub fn parse_creci(env: Env, value: String) -> napi::Result<ParsedCreci> {
    run(&env, || {
        let v = Creci::parse(&value).map_err(field)?;
        Ok(ParsedCreci {
            uf: v.uf().code().to_owned(),
            number: v.number(),
            kind: v.kind().map(|k| {
                match k {
                    CreciKind::Company => "J",
                    _ => "F",
                }
                .to_owned()
            }),
            formatted: v.formatted(),
        })
    })
}

fn kind_of(kind: &str) -> Result<ValueKind, HostError> {
    ValueKind::parse(kind).map_err(|e| HostError::from(e.at("kind")))
}

/// Whether `value` is a valid value of `kind`.
#[napi]
pub fn is_valid(env: Env, kind: String, value: String) -> napi::Result<bool> {
    run(&env, || {
        Ok(host::lines::code_of(kind_of(&kind)?, &value).is_none())
    })
}

/// Whether a CPF is valid (the cheapest single check).
#[napi]
pub fn is_valid_cpf(env: Env, value: String) -> napi::Result<bool> {
    run(&env, || Ok(Cpf::is_valid(&value)))
}

/// Whether a CNPJ is valid.
#[napi]
pub fn is_valid_cnpj(env: Env, value: String) -> napi::Result<bool> {
    run(&env, || Ok(Cnpj::is_valid(&value)))
}

/// The error code of one value, null when it is valid.
#[napi]
pub fn check(env: Env, kind: String, value: String) -> napi::Result<Option<&'static str>> {
    run(&env, || {
        Ok(host::lines::code_of(kind_of(&kind)?, &value).map(|c| c.as_str()))
    })
}

/// The canonical text of one value (bare CPF, E.164 phone, …); throws on an invalid one.
#[napi]
pub fn canonical(env: Env, kind: String, value: String) -> napi::Result<String> {
    run(&env, || {
        host::canonical(kind_of(&kind)?, &value).map_err(HostError::from)
    })
}

/// One item of an array: text, missing (null or undefined), or a value of another type.
enum Cell {
    Text(String),
    Missing,
    WrongType,
}

fn cells(values: &Array) -> napi::Result<Vec<Cell>> {
    let mut out = Vec::with_capacity(values.len() as usize);
    for i in 0..values.len() {
        let cell = match values.get::<Either<String, Unknown>>(i)? {
            Some(Either::A(s)) => Cell::Text(s),
            Some(Either::B(u)) => match u.get_type()? {
                ValueType::Null | ValueType::Undefined => Cell::Missing,
                _ => Cell::WrongType,
            },
            None => Cell::Missing,
        };
        out.push(cell);
    }
    Ok(out)
}

fn codes_of(kind: ValueKind, cells: &[Cell]) -> Vec<Option<&'static str>> {
    let blank = host::check(kind, "").err().map(|e| e.code.as_str());
    host::batch::map_parallel(cells, |c| match c {
        Cell::Text(t) => host::lines::code_of(kind, t).map(|c| c.as_str()),
        Cell::Missing => blank,
        Cell::WrongType => Some(ErrorCode::Json.as_str()),
    })
}

/// The error code of every item (null where valid); a missing item (null, undefined) gets the
/// kind's blank code and an item that is not a string `input.json`.
#[napi]
pub fn check_many(
    env: Env,
    kind: String,
    #[napi(ts_arg_type = "ReadonlyArray<string | null | undefined>")] values: Array,
) -> napi::Result<Vec<Option<&'static str>>> {
    let kind = kind_of(&kind).map_err(|e| to_js(&env, e))?;
    let cells = cells(&values)?;
    run(&env, || Ok(codes_of(kind, &cells)))
}

/// Whether each item is valid.
#[napi]
pub fn is_valid_many(
    env: Env,
    kind: String,
    #[napi(ts_arg_type = "ReadonlyArray<string | null | undefined>")] values: Array,
) -> napi::Result<Vec<bool>> {
    let kind = kind_of(&kind).map_err(|e| to_js(&env, e))?;
    let cells = cells(&values)?;
    run(&env, || {
        Ok(codes_of(kind, &cells)
            .into_iter()
            .map(|c| c.is_none())
            .collect())
    })
}

/// `checkMany` on the libuv thread pool: the strings are read on the JS thread, checked off
/// it; resolves with the codes as JSON text (the package parses it).
#[napi]
pub fn check_many_async(
    env: Env,
    kind: String,
    #[napi(ts_arg_type = "ReadonlyArray<string | null | undefined>")] values: Array,
) -> napi::Result<AsyncTask<Job<String>>> {
    let kind = kind_of(&kind).map_err(|e| to_js(&env, e))?;
    let cells = cells(&values)?;
    Ok(AsyncTask::new(Job::new(move || {
        realestate_crm::host::text::to_text(&codes_of(kind, &cells))
    })))
}

/// The canonical text and the code of every item.
#[napi(object)]
pub struct CanonicalMany {
    /// The canonical text of each item, null where invalid.
    pub values: Vec<Option<String>>,
    /// The error code of each item, null where valid.
    pub codes: Vec<Option<String>>,
}

/// The canonical text of every item (null where invalid) and the codes.
#[napi]
pub fn canonical_many(
    env: Env,
    kind: String,
    #[napi(ts_arg_type = "ReadonlyArray<string | null | undefined>")] values: Array,
) -> napi::Result<CanonicalMany> {
    let kind = kind_of(&kind).map_err(|e| to_js(&env, e))?;
    let cells = cells(&values)?;
    run(&env, || {
        let blank = host::check(kind, "")
            .err()
            .map_or("validation.required", |e| e.code.as_str());
        let results = host::batch::map_parallel(&cells, |c| match c {
            Cell::Text(t) => host::canonical(kind, t).map_err(|e| e.code.as_str()),
            Cell::Missing => Err(blank),
            Cell::WrongType => Err(ErrorCode::Json.as_str()),
        });
        let mut out = CanonicalMany {
            values: Vec::with_capacity(results.len()),
            codes: Vec::with_capacity(results.len()),
        };
        for r in results {
            match r {
                Ok(v) => {
                    out.values.push(Some(v));
                    out.codes.push(None);
                }
                Err(c) => {
                    out.values.push(None);
                    out.codes.push(Some(c.to_owned()));
                }
            }
        }
        Ok(out)
    })
}

/// The status table of `validateBuffer`: entry `n` is the code of status byte `n` (entry 0,
/// null, means valid). The table follows the error catalogue of this build.
#[napi]
pub fn status_codes() -> Vec<Option<&'static str>> {
    host::lines::status_table()
}

/// Validates a buffer of newline-separated values (UTF-8; `\r\n` accepted; the closing newline
/// optional): one status byte per line, 0 for valid, else the index of its code in
/// `statusCodes()`. Large buffers are checked on every core.
#[napi]
pub fn validate_buffer(env: Env, kind: String, data: Uint8ArraySlice) -> napi::Result<Uint8Array> {
    let kind = kind_of(&kind).map_err(|e| to_js(&env, e))?;
    run(&env, || {
        Ok(Uint8Array::new(host::lines::statuses(kind, &data)))
    })
}

/// `validateBuffer` on the libuv thread pool (the bytes are copied first, so the caller may
/// reuse the buffer at once).
#[napi]
pub fn validate_buffer_async(
    env: Env,
    kind: String,
    data: Uint8ArraySlice,
) -> napi::Result<AsyncTask<Job<Vec<u8>>>> {
    let kind = kind_of(&kind).map_err(|e| to_js(&env, e))?;
    let bytes = data.to_vec();
    Ok(AsyncTask::new(Job::new(move || {
        Ok(host::lines::statuses(kind, &bytes))
    })))
}
