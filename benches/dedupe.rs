//! Duplicate detection over generated books of 25,000, 50,000 and 100,000 leads. Run with
//! `cargo bench --bench dedupe`.
//!
//! The books are generated with a fixed-seed SplitMix64 (so every run sees the same data):
//! Brazilian names drawn from Zipf-like distributions of common first names and surnames
//! (so "maria silva" is frequent), middle names and particles, phones in several formats,
//! e-mails, CPFs for some leads and portal ids for half of them. About 5% of the leads are
//! planted duplicates of another lead with variations (accents and case, reordered names,
//! dropped middle names or particles, phones without the ninth digit, e-mails with case or a
//! `+tag`, a missing channel, a typo in the first name, a portal re-delivery), and 2% are
//! family members of another lead (another first name, the same surname and phone).
//!
//! Besides criterion's timings, the bench prints one timed run per size, the growth ratio
//! (near-linear is about 2 from 25k to 50k and 4 to 100k; quadratic would be 4 and 16), the
//! recall of planted duplicates and the number of false matches.

use chrono::{TimeZone, Utc};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use realestate_crm::dedupe::{Decision, DedupeConfig, find_duplicates_report};
use realestate_crm::domain::{Contact, Lead, LeadId, LeadSource, Portal};
use std::collections::HashSet;
use std::hint::black_box;
use std::time::Instant;

/// SplitMix64: a tiny, well-known PRNG; enough for generating test data.
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
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    /// An index in 0..n with weights 1/(i+1): a few very common values, a long tail.
    fn zipf(&mut self, cumulative: &[f64]) -> usize {
        let total = cumulative.last().copied().unwrap_or(1.0);
        let x = (self.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
        cumulative
            .partition_point(|&c| c < x)
            .min(cumulative.len() - 1)
    }
}

const FIRST: &[&str] = &[
    "Maria",
    "José",
    "Ana",
    "João",
    "Antônio",
    "Francisco",
    "Carlos",
    "Paulo",
    "Pedro",
    "Lucas",
    "Luiz",
    "Marcos",
    "Luís",
    "Gabriel",
    "Rafael",
    "Francisca",
    "Daniel",
    "Marcelo",
    "Bruno",
    "Eduardo",
    "Felipe",
    "Raimundo",
    "Rodrigo",
    "Manoel",
    "Mateus",
    "André",
    "Fernando",
    "Fábio",
    "Leonardo",
    "Gustavo",
    "Guilherme",
    "Leandro",
    "Tiago",
    "Anderson",
    "Ricardo",
    "Márcio",
    "Jorge",
    "Sebastião",
    "Alexandre",
    "Roberto",
    "Edson",
    "Diego",
    "Vitor",
    "Sérgio",
    "Cláudio",
    "Geraldo",
    "Adriano",
    "Luciano",
    "Júlio",
    "Renato",
    "Vinícius",
    "Rogério",
    "Samuel",
    "Ronaldo",
    "Mário",
    "Flávio",
    "Aline",
    "Juliana",
    "Adriana",
    "Márcia",
    "Fernanda",
    "Patrícia",
    "Aparecida",
    "Sandra",
    "Camila",
    "Amanda",
    "Bruna",
    "Jéssica",
    "Letícia",
    "Júlia",
    "Luciana",
    "Vanessa",
    "Mariana",
    "Gabriela",
    "Vera",
    "Vitória",
    "Larissa",
    "Cláudia",
    "Beatriz",
    "Rita",
    "Luana",
    "Sônia",
    "Renata",
    "Eliane",
    "Helena",
    "Cecília",
    "Lorena",
    "Heitor",
    "Davi",
    "Arthur",
    "Bernardo",
    "Enzo",
    "Otávio",
    "Caio",
    "Isabela",
    "Sofia",
    "Valentina",
    "Lívia",
];
const SURNAMES: &[&str] = &[
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
    "Almeida",
    "Lopes",
    "Soares",
    "Fernandes",
    "Vieira",
    "Barbosa",
    "Rocha",
    "Dias",
    "Nascimento",
    "Andrade",
    "Moreira",
    "Nunes",
    "Marques",
    "Machado",
    "Mendes",
    "Freitas",
    "Cardoso",
    "Ramos",
    "Gonçalves",
    "Santana",
    "Teixeira",
    "Araújo",
    "Pinto",
    "Correia",
    "Cavalcanti",
    "Monteiro",
    "Moura",
    "Batista",
    "Campos",
    "Reis",
    "Conceição",
    "Azevedo",
    "Barros",
    "Farias",
    "Brito",
    "Xavier",
];
const PARTICLES: &[&str] = &["da", "dos", "de"];
const DDD: &[&str] = &[
    "11", "11", "11", "21", "21", "31", "41", "51", "61", "71", "81", "85", "19",
];
const DOMAINS: &[&str] = &[
    "gmail.com",
    "hotmail.com",
    "outlook.com",
    "yahoo.com.br",
    "uol.com.br",
];

fn cumulative(n: usize) -> Vec<f64> {
    let mut acc = 0.0;
    (0..n)
        .map(|i| {
            acc += 1.0 / (i as f64 + 1.0);
            acc
        })
        .collect()
}

fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'á' | 'â' | 'ã' | 'à' => 'a',
            'é' | 'ê' => 'e',
            'í' => 'i',
            'ó' | 'ô' | 'õ' => 'o',
            'ú' => 'u',
            'ç' => 'c',
            'Á' => 'A',
            'É' => 'E',
            'Í' => 'I',
            'Ó' => 'O',
            'Ú' => 'U',
            other => other,
        })
        .collect()
}

/// A valid CPF whose base is a bijection of `c` (104729 is prime to 10^9): unique.
fn cpf(c: u64) -> String {
    let b = (c * 104_729) % 1_000_000_000;
    let base: Vec<u32> = format!("{b:09}")
        .bytes()
        .map(|d| u32::from(d - b'0'))
        .collect();
    let digit = |ds: &[u32]| {
        let n = ds.len() as u32 + 1;
        let s: u32 = ds.iter().enumerate().map(|(i, d)| d * (n - i as u32)).sum();
        let r = s % 11;
        if r < 2 { 0 } else { 11 - r }
    };
    let mut all = base.clone();
    all.push(digit(&base));
    let d2 = digit(&all);
    all.push(d2);
    all.iter().map(|d| char::from(b'0' + *d as u8)).collect()
}

/// A generated person: the parts a duplicate may vary.
#[derive(Clone)]
struct Person {
    first: String,
    middle: Option<String>,
    particle: Option<String>,
    surnames: Vec<String>,
    ddd: String,
    subscriber: String, // 8 digits after the leading 9
    email: Option<(String, String)>,
    cpf: Option<String>,
}

impl Person {
    fn name(&self) -> String {
        let mut parts = vec![self.first.clone()];
        parts.extend(self.middle.clone());
        parts.extend(self.particle.clone());
        parts.extend(self.surnames.iter().cloned());
        parts.join(" ")
    }
    fn phone(&self, style: usize) -> String {
        let (a, b) = self.subscriber.split_at(4);
        match style % 3 {
            0 => format!("({}) 9{a}-{b}", self.ddd),
            1 => format!("{}9{a}{b}", self.ddd),
            _ => format!("+55 {} 9{a} {b}", self.ddd),
        }
    }
}

struct Generator {
    rng: Rng,
    first: Vec<f64>,
    surnames: Vec<f64>,
    /// People generated so far: phones, e-mails and CPFs are derived from it so that two
    /// different people never share one by accident (which would be a true match).
    count: u64,
}

impl Generator {
    fn person(&mut self) -> Person {
        self.count += 1;
        let c = self.count;
        let r = &mut self.rng;
        let first = FIRST[r.zipf(&self.first)].to_owned();
        let middle = r.chance(40).then(|| FIRST[r.zipf(&self.first)].to_owned());
        let particle = r
            .chance(30)
            .then(|| PARTICLES[r.below(PARTICLES.len())].to_owned());
        let mut surnames = vec![SURNAMES[r.zipf(&self.surnames)].to_owned()];
        if r.chance(60) {
            surnames.push(SURNAMES[r.zipf(&self.surnames)].to_owned());
        }
        // c · 7919 mod 10^7 is a bijection on 0..10^7 (7919 is prime to 10): unique numbers
        let subscriber = format!("{}{:07}", 6 + c % 4, (c * 7919) % 10_000_000);
        let email = r.chance(85).then(|| {
            let local = format!(
                "{}.{}{}",
                ascii(&first).to_lowercase(),
                ascii(surnames.last().map_or("x", String::as_str)).to_lowercase(),
                c
            );
            (local, DOMAINS[r.below(DOMAINS.len())].to_owned())
        });
        Person {
            first,
            middle,
            particle,
            surnames,
            ddd: DDD[r.below(DDD.len())].to_owned(),
            subscriber,
            email,
            cpf: r.chance(30).then(|| cpf(c)),
        }
    }
}

fn lead(n: usize, contact: Contact, source: LeadSource) -> Lead {
    let at = Utc
        .timestamp_opt(1_767_225_600 + n as i64 * 60, 0)
        .single()
        .unwrap_or_default();
    let mut bytes = [0u8; 10];
    bytes[..8].copy_from_slice(&(n as u64).to_be_bytes());
    let mut l = Lead::new(
        LeadId::from_parts(1_767_225_600_000 + n as u64, bytes),
        contact,
        at,
    );
    l.source = source;
    l
}

struct Book {
    leads: Vec<Lead>,
    /// The person each lead is.
    person: Vec<usize>,
    planted: usize,
    families: usize,
}

fn generate(n: usize, seed: u64) -> Book {
    let mut g = Generator {
        rng: Rng(seed),
        first: cumulative(FIRST.len()),
        surnames: cumulative(SURNAMES.len()),
        count: 0,
    };
    let planted = n / 20;
    let families = n / 50;
    let base = n - planted - families;
    let mut people: Vec<(Person, Option<(Portal, String)>)> = Vec::with_capacity(base);
    let mut leads = Vec::with_capacity(n);
    let mut person = Vec::with_capacity(n);
    let portals = [
        Portal::Zap,
        Portal::VivaReal,
        Portal::Olx,
        Portal::QuintoAndar,
    ];
    for i in 0..base {
        let p = g.person();
        let portal = g
            .rng
            .chance(50)
            .then(|| (portals[g.rng.below(4)].clone(), format!("P-{i:07}")));
        let style = g.rng.below(3);
        let mut contact = Contact::new(p.name()).with_phone(p.phone(style));
        contact.email = p.email.as_ref().map(|(l, d)| format!("{l}@{d}"));
        contact.document = p.cpf.clone();
        let source = match &portal {
            Some((portal, id)) => LeadSource::Portal {
                portal: portal.clone(),
                external_id: Some(id.clone()),
                temperature: None,
            },
            None => LeadSource::Website,
        };
        leads.push(lead(i, contact, source));
        person.push(i);
        people.push((p, portal));
    }
    for k in 0..planted {
        let who = g.rng.below(base);
        let (p, portal) = people[who].clone();
        let r = &mut g.rng;
        let mut v = p.clone();
        let mut name = None;
        match r.below(6) {
            0 => name = Some(ascii(&p.name()).to_uppercase()),
            1 => {
                name = Some(format!(
                    "{}, {}{}",
                    p.surnames.join(" "),
                    p.first,
                    p.middle
                        .as_ref()
                        .map(|m| format!(" {m}"))
                        .unwrap_or_default()
                ))
            }
            2 => {
                v.middle = None;
                v.particle = None;
            }
            3 => {
                // a typo: two neighbouring letters of the first name swapped
                let mut cs: Vec<char> = v.first.chars().collect();
                if cs.len() > 3 {
                    cs.swap(1, 2);
                }
                v.first = cs.into_iter().collect();
            }
            _ => name = Some(p.name().to_lowercase()),
        }
        let name = name.unwrap_or_else(|| v.name());
        let phone_typo = r.chance(10);
        let phone = match r.below(4) {
            _ if phone_typo => {
                // the last two digits swapped, and nothing else to go by: at best a review
                let mut digits: Vec<char> = p.subscriber.chars().collect();
                digits.swap(6, 7);
                let s: String = digits.into_iter().collect();
                Some(format!("{}9{s}", p.ddd))
            }
            0 => {
                let (a, b) = p.subscriber.split_at(4);
                Some(format!("{} {a}-{b}", p.ddd)) // before the ninth digit
            }
            1 => None,
            s => Some(p.phone(s)),
        };
        let email = p.email.as_ref().and_then(|(l, d)| match r.below(4) {
            _ if phone_typo => None,
            0 => Some(format!("{}@{}", l.to_uppercase(), d.to_uppercase())),
            1 => Some(format!("{l}+portal@{d}")),
            2 if phone.is_some() => None,
            _ => Some(format!("{l}@{d}")),
        });
        let mut contact = Contact::new(name);
        contact.phone = phone.or_else(|| Some(p.phone(0)));
        contact.email = email;
        contact.document = p.cpf.clone().filter(|_| !phone_typo && r.chance(50));
        let source = match portal.filter(|_| !phone_typo && r.chance(20)) {
            Some((portal, id)) => LeadSource::Portal {
                portal,
                external_id: Some(id),
                temperature: None,
            },
            None => LeadSource::Website,
        };
        leads.push(lead(base + k, contact, source));
        person.push(who);
    }
    for k in 0..families {
        let who = g.rng.below(base);
        let (p, _) = &people[who];
        // another given name: not one of the person's own (a relative whose names are the
        // person's in another order could not be told apart by anyone)
        let given = |q: &Person| {
            let mut names = vec![ascii(&q.first)];
            names.extend(q.middle.as_deref().map(ascii));
            names
        };
        let mut relative = g.person();
        while given(&relative).iter().any(|n| given(p).contains(n)) {
            relative = g.person();
        }
        relative.surnames = p.surnames.clone();
        relative.ddd = p.ddd.clone();
        relative.subscriber = p.subscriber.clone();
        let mut contact = Contact::new(relative.name()).with_phone(p.phone(1));
        contact.email = relative.email.as_ref().map(|(l, d)| format!("{l}@{d}"));
        leads.push(lead(base + planted + k, contact, LeadSource::Website));
        person.push(base + planted + k); // a different person
    }
    Book {
        leads,
        person,
        planted,
        families,
    }
}

fn quality_report(book: &Book, config: &DedupeConfig) -> (f64, String) {
    let start = Instant::now();
    let report = find_duplicates_report(&book.leads, config);
    let seconds = start.elapsed().as_secs_f64();
    let mut true_pairs: HashSet<(usize, usize)> = HashSet::new();
    let mut by_person: std::collections::HashMap<usize, Vec<usize>> = Default::default();
    for (i, p) in book.person.iter().enumerate() {
        by_person.entry(*p).or_default().push(i);
    }
    for members in by_person.values() {
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                true_pairs.insert((a.min(b), a.max(b)));
            }
        }
    }
    let debug = std::env::var_os("DEDUPE_BENCH_DEBUG").is_some();
    let name = |i: usize| {
        let c = &book.leads[i].contact;
        format!("{:?} {:?} {:?} {:?}", c.name, c.phone, c.email, c.document)
    };
    let (mut matched, mut reviewed, mut false_matches, mut false_reviews) = (0, 0, 0, 0);
    let found: HashSet<(usize, usize)> = report.pairs.iter().map(|p| (p.a, p.b)).collect();
    if debug {
        for &(a, b) in true_pairs.iter().filter(|p| !found.contains(p)).take(15) {
            println!("    missed: {} | {}", name(a), name(b));
        }
    }
    for p in &report.pairs {
        let same = book.person[p.a] == book.person[p.b];
        if debug && !same && p.decision == Decision::Match {
            println!(
                "    false match ({:?}): {} | {}",
                p.rule,
                name(p.a),
                name(p.b)
            );
        }
        match (p.decision, same) {
            (Decision::Match, true) => matched += 1,
            (Decision::Review, true) => reviewed += 1,
            (Decision::Match, false) => false_matches += 1,
            (Decision::Review, false) => false_reviews += 1,
            _ => {}
        }
    }
    let total = true_pairs.len().max(1) as f64;
    let line = format!(
        "{:>7} leads: {:>8.1} ms, {:>9} candidate pairs, {} oversized blocks; planted {} duplicates and {} family members; \
         true pairs {}: recall {:.1}% as match, {:.1}% as match or review; false matches {}, false reviews {}",
        book.leads.len(),
        seconds * 1000.0,
        report.candidates,
        report.oversized_blocks.len(),
        book.planted,
        book.families,
        true_pairs.len(),
        100.0 * matched as f64 / total,
        100.0 * (matched + reviewed) as f64 / total,
        false_matches,
        false_reviews,
    );
    (seconds, line)
}

fn dedupe(c: &mut Criterion) {
    // Under `cargo test --benches` (no --bench flag) run a small smoke version only.
    let full = std::env::args().any(|a| a == "--bench");
    let sizes: &[usize] = if full {
        &[25_000, 50_000, 100_000]
    } else {
        &[2_000, 4_000]
    };
    let config = DedupeConfig::default();
    let books: Vec<Book> = sizes.iter().map(|&n| generate(n, 0x5EED_2026)).collect();

    println!("\nduplicate detection, one timed run per size:");
    let mut times = Vec::new();
    for book in &books {
        // best of three runs, to keep the growth ratio steady
        let runs: Vec<(f64, String)> = (0..3).map(|_| quality_report(book, &config)).collect();
        let best = runs
            .iter()
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .cloned()
            .unwrap_or((f64::NAN, String::new()));
        println!("  {}", best.1);
        times.push(best.0);
    }
    if let (Some(first), Some(last)) = (times.first(), times.last()) {
        let size_ratio = *sizes.last().unwrap_or(&1) as f64 / *sizes.first().unwrap_or(&1) as f64;
        let ratio = last / first;
        println!(
            "  growth: {size_ratio:.0}x the leads took {ratio:.2}x the time (linear {size_ratio:.0}x, quadratic {:.0}x): {}\n",
            size_ratio * size_ratio,
            if ratio < size_ratio * 1.6 {
                "near-linear"
            } else {
                "SUPERLINEAR"
            }
        );
    }

    let mut group = c.benchmark_group("find_duplicates");
    group.sample_size(10);
    for book in &books {
        group.bench_with_input(
            BenchmarkId::from_parameter(book.leads.len()),
            book,
            |b, book| b.iter(|| find_duplicates_report(black_box(&book.leads), &config)),
        );
    }
    group.finish();
}

criterion_group!(benches, dedupe);
criterion_main!(benches);
