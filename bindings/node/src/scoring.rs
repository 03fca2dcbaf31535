//! Lead scoring: one lead, or a whole book (synchronously or on the thread pool).

use crate::errors::run;
use crate::json::{instant, load, out};
use crate::task::Job;
use chrono::{DateTime, Utc};
use napi::Env;
use napi::bindgen_prelude::AsyncTask;
use napi_derive::napi;
use realestate_crm::domain::{Activity, Lead, Property};
use realestate_crm::host::{self, HostError, text};
use realestate_crm::scoring::{self, LeadInput, RuleSet};
use std::sync::Arc;

/// A validated scoring rule set.
#[napi(js_name = "NativeScorer")]
pub struct Scorer {
    inner: Arc<scoring::Scorer>,
}

/// The records of a JSON array, read on every core for large arrays; the first that does not
/// read is the error, at `what[i]`.
fn records<T: serde::de::DeserializeOwned + serde::Serialize + Send>(
    json: &str,
    what: &str,
) -> Result<Vec<T>, HostError> {
    let list = if json.trim() == "null" {
        Vec::new()
    } else {
        text::array_items(json).map_err(|e| e.at(what))?
    };
    host::batch::map_parallel(&list, |v| text::from_text::<T>(v))
        .into_iter()
        .enumerate()
        .map(|(i, r)| r.map_err(|e| e.at(&format!("{what}[{i}]"))))
        .collect()
}

/// Scores a book: every lead at `now`, activities grouped by `lead_id`, properties by index.
fn score_book(
    scorer: &scoring::Scorer,
    leads: &str,
    now: DateTime<Utc>,
    activities: Option<&str>,
    properties: Option<&str>,
) -> Result<String, HostError> {
    let leads: Vec<Lead> = records(leads, "leads")?;
    let acts: Vec<Activity> = match activities {
        Some(a) => records(a, "activities")?,
        None => Vec::new(),
    };
    let props: Vec<Option<Property>> = match properties {
        Some(p) => records(p, "properties")?,
        None => Vec::new(),
    };
    let (acts, ranges) = host::batch::group_by_lead(&leads, acts);
    let prop_refs: Vec<Option<&Property>> = props.iter().map(Option::as_ref).collect();
    let scores = host::batch::score_many(scorer, &leads, &acts, &ranges, &prop_refs, now);
    out(&scores)
}

#[napi]
impl Scorer {
    /// Loads and validates a rule set (JSON text, or `"default"` for the shipped one).
    #[napi(constructor)]
    pub fn new(env: Env, rules: String) -> napi::Result<Self> {
        run(&env, || {
            let set: RuleSet = if rules == "default" {
                scoring::default_rules()?
            } else {
                load(&rules, "rules")?
            };
            Ok(Self {
                inner: Arc::new(scoring::Scorer::new(set)?),
            })
        })
    }

    /// The rule set as JSON text.
    #[napi]
    pub fn rules(&self, env: Env) -> napi::Result<String> {
        run(&env, || out(self.inner.rules()))
    }

    /// Scores one lead at `now` (RFC 3339) with its activities (a JSON array) and its property of
    /// interest (JSON, or null); the score as JSON text.
    #[napi]
    pub fn score(
        &self,
        env: Env,
        lead: String,
        now: String,
        activities: Option<String>,
        property: Option<String>,
    ) -> napi::Result<String> {
        run(&env, || {
            let lead: Lead = load(&lead, "lead")?;
            let acts: Vec<Activity> = match activities.as_deref() {
                Some(a) => records(a, "activities")?,
                None => Vec::new(),
            };
            let prop: Option<Property> = match property.as_deref() {
                None | Some("null") => None,
                Some(p) => Some(load(p, "property")?),
            };
            let input = LeadInput {
                lead: &lead,
                activities: &acts,
                property: prop.as_ref(),
            };
            out(&self.inner.score(&input, instant(&now, "now")?))
        })
    }

    /// Scores a book (JSON arrays: leads, every activity of the book, and optionally the
    /// property of interest of each lead by index, null where unknown); the scores in lead
    /// order as JSON text.
    #[napi]
    pub fn score_many(
        &self,
        env: Env,
        leads: String,
        now: String,
        activities: Option<String>,
        properties: Option<String>,
    ) -> napi::Result<String> {
        run(&env, || {
            let now = instant(&now, "now")?;
            score_book(
                &self.inner,
                &leads,
                now,
                activities.as_deref(),
                properties.as_deref(),
            )
        })
    }

    /// `scoreMany` on the libuv thread pool (parsing included).
    #[napi(ts_return_type = "Promise<string>")]
    pub fn score_many_async(
        &self,
        env: Env,
        leads: String,
        now: String,
        activities: Option<String>,
        properties: Option<String>,
    ) -> napi::Result<AsyncTask<Job<String>>> {
        let now = run(&env, || instant(&now, "now"))?;
        let scorer = Arc::clone(&self.inner);
        Ok(AsyncTask::new(Job::new(move || {
            score_book(
                &scorer,
                &leads,
                now,
                activities.as_deref(),
                properties.as_deref(),
            )
        })))
    }
}
