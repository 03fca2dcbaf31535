//! Duplicate detection: normalisation keys, pair comparison, duplicates in a book (also on the
//! thread pool), ingestion of re-delivered leads and merge plans.

use crate::errors::run;
use crate::json::{load, load_opt, out};
use crate::task::Job;
use napi::Env;
use napi::bindgen_prelude::AsyncTask;
use napi_derive::napi;
use realestate_crm::dedupe::{self, DedupeConfig, FieldWeights};
use realestate_crm::domain::Lead;
use realestate_crm::host::{self, HostError};

fn config(json: Option<&str>) -> Result<DedupeConfig, HostError> {
    let c: DedupeConfig = match load_opt(json, "")? {
        Some(c) => c,
        None => host::from_value(serde_json::json!({}))?,
    };
    c.validate()?;
    Ok(c)
}

/// A dedupe configuration (JSON text, or null for the defaults) validated, with its defaults
/// filled in, as JSON text.
#[napi]
pub fn dedupe_config(env: Env, config_json: Option<String>) -> napi::Result<String> {
    run(&env, || out(&config(config_json.as_deref())?))
}

/// Compares two leads: the decision, the rule that decided, the score and the evidence.
#[napi]
pub fn compare_leads(
    env: Env,
    a: String,
    b: String,
    config_json: Option<String>,
) -> napi::Result<String> {
    run(&env, || {
        let a: Lead = load(&a, "a")?;
        let b: Lead = load(&b, "b")?;
        out(&dedupe::compare(&a, &b, &config(config_json.as_deref())?))
    })
}

fn duplicates(book: &str, config_json: Option<&str>) -> Result<String, HostError> {
    let book: Vec<Lead> = load(book, "book")?;
    out(&dedupe::find_duplicates(&book, &config(config_json)?))
}

/// The candidate duplicate pairs of a book (a JSON array of leads), best first.
#[napi]
pub fn find_duplicates(
    env: Env,
    book: String,
    config_json: Option<String>,
) -> napi::Result<String> {
    run(&env, || duplicates(&book, config_json.as_deref()))
}

/// `findDuplicates` on the libuv thread pool.
#[napi(ts_return_type = "Promise<string>")]
pub fn find_duplicates_async(book: String, config_json: Option<String>) -> AsyncTask<Job<String>> {
    AsyncTask::new(Job::new(move || duplicates(&book, config_json.as_deref())))
}

/// The stored lead a new delivery is (by portal key, lead id or comparison), or null.
#[napi]
pub fn find_existing(
    env: Env,
    new_lead: String,
    book: String,
    config_json: Option<String>,
) -> napi::Result<String> {
    run(&env, || {
        let new: Lead = load(&new_lead, "new")?;
        let book: Vec<Lead> = load(&book, "book")?;
        out(&dedupe::find_existing(
            &new,
            &book,
            &config(config_json.as_deref())?,
        ))
    })
}

/// How two records of one person merge: the survivor, every field choice and the merged lead.
#[napi]
pub fn merge_plan(env: Env, a: String, b: String) -> napi::Result<String> {
    run(&env, || {
        let a: Lead = load(&a, "a")?;
        let b: Lead = load(&b, "b")?;
        out(&dedupe::merge_plan(&a, &b))
    })
}

/// A normalisation key for matching, as JSON text: `kind` is `name` (a token list), `email`,
/// `phone` or `document` (text, or null when absent).
#[napi]
pub fn match_key(env: Env, kind: String, value: String) -> napi::Result<String> {
    run(&env, || match kind.as_str() {
        "name" => out(&dedupe::name_tokens(&value)),
        "email" => out(&dedupe::email_key(&value)),
        "phone" => out(&dedupe::phone_key(&value)),
        "document" => out(&dedupe::document_key(&value).map(|d| d.as_str().to_owned())),
        other => Err(HostError::input(
            "kind",
            format!(
                "unknown key kind `{}`; expected name, email, phone or document",
                other.chars().take(40).collect::<String>()
            ),
        )),
    })
}

/// Fellegi–Sunter weights (bits) of a field.
#[napi(object)]
pub struct Weights {
    /// The weight when the field agrees.
    pub agreement: f64,
    /// The weight when it disagrees.
    pub disagreement: f64,
}

/// The agreement and disagreement weights of a field with match probability `m` and chance
/// agreement `u` (probabilities, not money: plain numbers).
#[napi]
pub fn field_weights(env: Env, m: f64, u: f64) -> napi::Result<Weights> {
    run(&env, || {
        let w = FieldWeights { m, u };
        Ok(Weights {
            agreement: w.agreement(),
            disagreement: w.disagreement(),
        })
    })
}
