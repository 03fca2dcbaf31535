//! Parsing speed of the document and phone validators, the hot path of portal imports and of
//! duplicate detection. Run with `cargo bench --bench validation`.

use criterion::{Criterion, criterion_group, criterion_main};
use realestate_crm::{Cep, Cnpj, Cpf, Email, Phone};
use std::hint::black_box;

fn documents(c: &mut Criterion) {
    let mut g = c.benchmark_group("cpf");
    g.bench_function("is_valid bare", |b| {
        b.iter(|| Cpf::is_valid(black_box("52998224725")))
    });
    g.bench_function("is_valid masked", |b| {
        b.iter(|| Cpf::is_valid(black_box("529.982.247-25")))
    });
    g.bench_function("parse masked", |b| {
        b.iter(|| Cpf::parse(black_box("529.982.247-25")))
    });
    g.bench_function("parse bad check digit", |b| {
        b.iter(|| Cpf::parse(black_box("529.982.247-24")))
    });
    g.finish();

    let mut g = c.benchmark_group("cnpj");
    g.bench_function("is_valid numeric masked", |b| {
        b.iter(|| Cnpj::is_valid(black_box("11.222.333/0001-81")))
    });
    g.bench_function("is_valid alphanumeric", |b| {
        b.iter(|| Cnpj::is_valid(black_box("12.ABC.345/01DE-35")))
    });
    g.bench_function("parse alphanumeric lowercase", |b| {
        b.iter(|| Cnpj::parse(black_box("12.abc.345/01de-35")))
    });
    g.finish();

    let mut g = c.benchmark_group("other");
    g.bench_function("cep parse", |b| {
        b.iter(|| Cep::parse(black_box("01310-100")))
    });
    g.bench_function("email parse", |b| {
        b.iter(|| Email::parse(black_box("Maria.Silva@Imobiliaria.COM.br")))
    });
    g.finish();
}

fn phones(c: &mut Criterion) {
    let mut g = c.benchmark_group("phone");
    g.bench_function("is_valid mobile masked", |b| {
        b.iter(|| Phone::is_valid(black_box("(11) 98765-4321")))
    });
    g.bench_function("parse mobile +55", |b| {
        b.iter(|| Phone::parse(black_box("+55 11 98765-4321")))
    });
    g.bench_function("parse landline carrier code", |b| {
        b.iter(|| Phone::parse(black_box("0 21 11 3456-7890")))
    });
    g.bench_function("parse foreign", |b| {
        b.iter(|| Phone::parse(black_box("+1 415 555 0132")))
    });
    g.finish();
}

criterion_group!(benches, documents, phones);
criterion_main!(benches);
