//! What the store benches share: a deterministic generator of valid, varied leads (names with
//! accents, CPFs with their check digits, mobiles with real area codes, e-mails, budgets; about
//! half from a portal with the portal's lead id) and number formatting.
#![allow(dead_code)]

use chrono::{DateTime, Duration, Utc};
use crm_core::Money;
use crm_core::domain::{
    BudgetRange, Contact, Interest, Lead, LeadId, LeadSource, LeadTemperature, Portal, Timeline,
};
use rust_decimal::Decimal;

/// SplitMix64: a small, fixed-seed generator (the bench must not depend on `rand`).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
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

pub const FIRST: &[&str] = &[
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
pub const LAST: &[&str] = &[
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
pub const PARTICLES: &[&str] = &["da", "de", "dos", "do", ""];
pub const DOMAINS: &[&str] = &[
    "gmail.com",
    "hotmail.com",
    "outlook.com",
    "yahoo.com.br",
    "uol.com.br",
    "bol.com.br",
    "terra.com.br",
    "empresa.com.br",
];
pub const AREA_CODES: &[&str] = &[
    "11", "21", "31", "41", "51", "61", "71", "81", "85", "19", "27", "48",
];
pub const CITIES: &[&str] = &[
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
pub const STAGES: &[&str] = &[
    "new",
    "new",
    "new",
    "contacted",
    "qualified",
    "visit_scheduled",
];

/// Nine random digits (not all equal) and the two CPF check digits.
pub fn cpf(rng: &mut Rng) -> String {
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

/// Lower case without accents, for e-mail local parts.
pub fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'á' | 'â' | 'ã' | 'à' | 'Á' | 'Â' => 'a',
            'é' | 'ê' => 'e',
            'í' => 'i',
            'ó' | 'ô' | 'õ' => 'o',
            'ú' | 'ü' => 'u',
            'ç' => 'c',
            other => other,
        })
        .collect::<String>()
        .to_lowercase()
}

/// One valid, varied lead; `i` makes its e-mail and portal id unique.
pub fn lead(rng: &mut Rng, i: usize, base: DateTime<Utc>) -> Lead {
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

/// How many leads to generate: the first numeric argument, else `CRM_BENCH_LEADS`, else
/// `default`.
pub fn leads_wanted(default: usize) -> usize {
    let from_args = std::env::args()
        .skip(1)
        .find_map(|a| a.replace('_', "").parse::<usize>().ok());
    let from_env = std::env::var("CRM_BENCH_LEADS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok());
    from_args.or(from_env).unwrap_or(default).max(1)
}

/// `81300` → `81,300`.
pub fn grouped(n: f64) -> String {
    let digits = format!("{n:.0}");
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
