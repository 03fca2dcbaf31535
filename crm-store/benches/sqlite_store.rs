//! SQLite store throughput: bulk import of valid, varied leads into a fresh file database,
//! then point reads by id and optimistic updates, one call at a time.
//!
//! ```text
//! cargo bench -p crm-store --features sqlite --bench sqlite_store            # 100,000 leads
//! CRM_BENCH_LEADS=20000 cargo bench -p crm-store --features sqlite --bench sqlite_store
//! cargo bench -p crm-store --features sqlite --bench sqlite_store -- 20000
//! ```
//!
//! Leads are generated deterministically (a fixed-seed generator): names with accents, CPFs
//! with their check digits, mobile numbers with real area codes, e-mails, budgets; about half
//! come from a portal with the portal's lead id. Generation is not timed; validation and
//! normalisation are (they are part of every import).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use crm_core::Money;
use crm_core::domain::{
    BudgetRange, Contact, Interest, Lead, LeadId, LeadSource, LeadTemperature, Portal, TenantId,
    Timeline,
};
use crm_store::sqlite::SqliteStore;
use crm_store::{LeadStore, StoreOptions};
use rust_decimal::Decimal;
use std::path::PathBuf;
use std::time::Instant;
use uuid::Uuid;

const DEFAULT_LEADS: usize = 100_000;
const GETS: usize = 20_000;
const UPDATES: usize = 5_000;

/// SplitMix64: a small, fixed-seed generator (the bench must not depend on `rand`).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        for chunk in out.chunks_mut(8) {
            let v = self.next().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        out
    }
}

const FIRST: &[&str] = &[
    "Ana",
    "João",
    "Maria",
    "José",
    "Antônio",
    "Francisca",
    "Carlos",
    "Paulo",
    "Lúcia",
    "Pedro",
    "Luíza",
    "Marcos",
    "Fernanda",
    "Rafael",
    "Juliana",
    "Thiago",
    "Beatriz",
    "Gustavo",
    "Camila",
    "Rodrigo",
    "Letícia",
    "André",
    "Patrícia",
    "Felipe",
    "Aline",
    "Bruno",
    "Débora",
    "Caio",
];
const LAST: &[&str] = &[
    "Silva",
    "Santos",
    "Oliveira",
    "Souza",
    "Rodrigues",
    "Ferreira",
    "Alves",
    "Pereira",
    "Lima",
    "Gomes",
    "Costa",
    "Ribeiro",
    "Martins",
    "Carvalho",
    "Araújo",
    "Melo",
    "Barbosa",
    "Conceição",
    "Cardoso",
    "Rocha",
    "Nascimento",
    "Mendes",
    "Assunção",
    "Brandão",
];
const PARTICLES: &[&str] = &["da", "de", "dos", "do", ""];
const DOMAINS: &[&str] = &[
    "gmail.com",
    "hotmail.com",
    "outlook.com",
    "yahoo.com.br",
    "uol.com.br",
    "bol.com.br",
    "terra.com.br",
    "empresa.com.br",
];
const AREA_CODES: &[&str] = &[
    "11", "21", "31", "41", "51", "61", "71", "81", "85", "19", "27", "48",
];
const CITIES: &[&str] = &[
    "São Paulo",
    "Rio de Janeiro",
    "Belo Horizonte",
    "Curitiba",
    "Porto Alegre",
    "Brasília",
    "Salvador",
    "Recife",
    "Fortaleza",
    "Campinas",
    "Vitória",
    "Florianópolis",
];
const STAGES: &[&str] = &[
    "new",
    "new",
    "new",
    "contacted",
    "qualified",
    "visit_scheduled",
];

/// Nine random digits (not all equal) and the two CPF check digits.
fn cpf(rng: &mut Rng) -> String {
    let mut digits: Vec<u32> = (0..9).map(|_| (rng.next() % 10) as u32).collect();
    if digits.iter().all(|d| *d == digits[0]) {
        digits[8] = (digits[8] + 1) % 10;
    }
    for _ in 0..2 {
        let weight = digits.len() as u32 + 1;
        let sum: u32 = digits
            .iter()
            .enumerate()
            .map(|(i, d)| d * (weight - i as u32))
            .sum();
        let r = sum % 11;
        digits.push(if r < 2 { 0 } else { 11 - r });
    }
    digits
        .into_iter()
        .map(|d| char::from_digit(d, 10).unwrap())
        .collect()
}

fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'á' | 'â' | 'ã' | 'à' => 'a',
            'é' | 'ê' => 'e',
            'í' => 'i',
            'ó' | 'ô' | 'õ' => 'o',
            'ú' | 'ü' => 'u',
            'ç' => 'c',
            'Á' => 'A',
            'Â' => 'A',
            other => other,
        })
        .collect::<String>()
        .to_lowercase()
}

/// One valid, varied lead; `i` makes its e-mail and portal id unique.
fn lead(rng: &mut Rng, i: usize, base: DateTime<Utc>) -> Lead {
    let (first, last, particle) = (rng.pick(FIRST), rng.pick(LAST), rng.pick(PARTICLES));
    let second = rng.pick(LAST);
    let name = if particle.is_empty() {
        format!("{first} {last} {second}")
    } else {
        format!("{first} {last} {particle} {second}")
    };
    let mut contact = Contact::new(name);
    let channel = rng.below(10);
    if channel < 8 {
        let email = format!(
            "{}.{}{}@{}",
            fold(first),
            fold(second),
            i,
            rng.pick(DOMAINS)
        );
        contact = contact.with_email(if rng.below(4) == 0 {
            email.to_uppercase()
        } else {
            email
        });
    }
    if channel >= 3 {
        let ddd = rng.pick(AREA_CODES);
        let n = rng.next() % 100_000_000;
        let phone = match rng.below(3) {
            0 => format!("({ddd}) 9{:04}-{:04}", n / 10_000, n % 10_000),
            1 => format!("+55 {ddd} 9{:04} {:04}", n / 10_000, n % 10_000),
            _ => format!("{ddd}9{n:08}"),
        };
        contact = contact.with_phone(phone);
    }
    if rng.below(3) != 0 {
        let bare = cpf(rng);
        let doc = if rng.below(2) == 0 {
            format!(
                "{}.{}.{}-{}",
                &bare[0..3],
                &bare[3..6],
                &bare[6..9],
                &bare[9..11]
            )
        } else {
            bare
        };
        contact = contact.with_document(doc);
    }
    let created = base
        + Duration::seconds(i as i64 * 300)
        + Duration::microseconds(rng.below(1_000_000) as i64);
    let id = LeadId::from_parts(created.timestamp_millis() as u64, rng.bytes::<10>());
    let mut lead = Lead::new(id, contact, created);
    if i.is_multiple_of(2) {
        let portal = match rng.below(5) {
            0 => Portal::Zap,
            1 => Portal::VivaReal,
            2 => Portal::Olx,
            3 => Portal::QuintoAndar,
            _ => Portal::ImovelWeb,
        };
        let temperature = match rng.below(4) {
            0 => Some(LeadTemperature::Hot),
            1 => Some(LeadTemperature::Warm),
            2 => Some(LeadTemperature::Cold),
            _ => None,
        };
        lead.source = LeadSource::Portal {
            external_id: Some(format!("{}-{:08}", portal.key().to_uppercase(), i)),
            portal,
            temperature,
        };
    } else if rng.below(3) == 0 {
        lead.source = LeadSource::Referral {
            referrer: Some("Cliente antigo".into()),
        };
    }
    lead.interest = if rng.below(3) == 0 {
        Interest::Rent
    } else {
        Interest::Buy
    };
    let (lo, hi): (i64, i64) = if lead.interest == Interest::Rent {
        (1_500, 12_000)
    } else {
        (250_000, 3_500_000)
    };
    let min = lo + rng.below((hi - lo) as usize) as i64;
    lead.budget = BudgetRange {
        min: Some(Money::brl(Decimal::from(min))),
        max: Some(Money::brl(Decimal::from(min + min / 4))),
    };
    lead.wanted_cities = vec![rng.pick(CITIES).to_owned()];
    lead.min_bedrooms = Some(1 + rng.below(4) as u8);
    lead.timeline = match rng.below(4) {
        0 => Timeline::Immediate,
        1 => Timeline::Within3Months,
        2 => Timeline::Within6Months,
        _ => Timeline::Unknown,
    };
    lead.stage = rng.pick(STAGES).to_owned();
    lead
}

fn leads_wanted() -> usize {
    let from_args = std::env::args()
        .skip(1)
        .find_map(|a| a.replace('_', "").parse::<usize>().ok());
    let from_env = std::env::var("CRM_BENCH_LEADS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok());
    from_args.or(from_env).unwrap_or(DEFAULT_LEADS).max(1)
}

/// `81300` → `81,300`.
fn grouped(n: f64) -> String {
    let digits = format!("{:.0}", n);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// This process's CPU time (user + system) so far, from `/proc/self/stat` (0 elsewhere).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.0.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
}

fn main() {
    let n = leads_wanted();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mut rng = Rng(0x5EED_C0FF_EE15_600D);
    let base = Utc
        .with_ymd_and_hms(2025, 1, 6, 9, 0, 0)
        .single()
        .expect("a valid instant");
    let leads: Vec<Lead> = (0..n).map(|i| lead(&mut rng, i, base)).collect();
    let file = TempFile(std::env::temp_dir().join(format!(
        "crm_sqlite_bench_{}_{}.db",
        std::process::id(),
        Utc::now().timestamp_micros()
    )));

    runtime.block_on(async {
        let url = format!("sqlite://{}", file.0.display());
        let store = SqliteStore::open(&url, &StoreOptions::default())
            .await
            .expect("open the bench database");
        let tenant = TenantId::from_uuid(Uuid::now_v7());

        let cpu0 = cpu_seconds();
        let started = Instant::now();
        let report = store.import_leads(tenant, &leads).await.expect("import");
        let took = started.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - cpu0;
        assert_eq!(report.inserted.len(), n, "every generated lead is new");
        println!(
            "sqlite import: {n} leads in {took:.2} s = {} rows/s",
            grouped(n as f64 / took)
        );

        println!("sqlite import CPU time (all threads): {cpu:.2} s");

        let again = Instant::now();
        let report = store.import_leads(tenant, &leads).await.expect("re-import");
        let took = again.elapsed().as_secs_f64();
        assert_eq!(report.existing.len(), n, "a re-import inserts nothing");
        println!(
            "sqlite re-import (all existing): {n} leads in {took:.2} s = {} rows/s",
            grouped(n as f64 / took)
        );

        let ids: Vec<LeadId> = (0..GETS).map(|_| leads[rng.below(n)].id).collect();
        let started = Instant::now();
        for id in &ids {
            let got = store.get_lead(tenant, *id).await.expect("get");
            assert!(got.is_some());
        }
        let took = started.elapsed().as_secs_f64();
        println!(
            "sqlite get_lead by id: {GETS} reads in {took:.2} s = {} ops/s",
            grouped(GETS as f64 / took)
        );

        // Distinct leads, read first; only the updates are timed.
        let wanted = UPDATES.min(n);
        let mut picked = std::collections::HashSet::with_capacity(wanted);
        while picked.len() < wanted {
            picked.insert(rng.below(n));
        }
        let mut targets: Vec<Lead> = Vec::with_capacity(wanted);
        for i in picked {
            targets.push(
                store
                    .get_lead(tenant, leads[i].id)
                    .await
                    .expect("get")
                    .expect("stored"),
            );
        }
        let started = Instant::now();
        for (i, mut lead) in targets.into_iter().enumerate() {
            lead.stage = STAGES[i % STAGES.len()].to_owned();
            lead.updated_at += Duration::minutes(1);
            let stored = store.update_lead(tenant, &lead).await.expect("update");
            assert_eq!(stored.version, lead.version + 1);
        }
        let took = started.elapsed().as_secs_f64();
        println!(
            "sqlite update_lead (optimistic): {wanted} updates in {took:.2} s = {} ops/s",
            grouped(wanted as f64 / took)
        );
        store.close().await;
    });
}
