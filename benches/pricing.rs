//! Pricing calculators: a 360-month SAC and PRICE schedule with MIP, DFI and an admin fee
//! (with and without a TR series, CET included), a rent adjustment, and a ratio study of 1,000
//! pairs. Run with `cargo bench --bench pricing`.

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use realestate_crm::Money;
use realestate_crm::pricing::{
    AmortizationSystem, FinancingTerms, IndexSeries, InterestRate, NegativePolicy, RatioPair,
    RentAdjustmentRequest, YearMonth, adjust_rent, ratio_study, simulate,
};
use rust_decimal::Decimal;
use std::hint::black_box;

/// R$ 400,000 over 360 months at 11.49% a year effective, with MIP 0.025% of the balance, DFI
/// 0.008% of a R$ 500,000 property and a R$ 25 fee, the way a bank quotes an SFH loan.
fn loan(system: AmortizationSystem, with_tr: bool) -> FinancingTerms {
    let mut t = FinancingTerms::new(
        system,
        Money::brl(Decimal::new(400_000, 0)),
        InterestRate::AnnualEffective(Decimal::new(1149, 4)),
        360,
        NaiveDate::from_ymd_opt(2026, 2, 10).unwrap_or_default(),
    );
    t.property_value = Some(Money::brl(Decimal::new(500_000, 0)));
    t.mip_rate = Some(Decimal::new(25, 5));
    t.dfi_rate = Some(Decimal::new(8, 5));
    t.admin_fee = Some(Money::brl(Decimal::new(25, 0)));
    t.upfront_costs = Some(Money::brl(Decimal::new(3_500, 0)));
    if with_tr {
        // A TR path between 0 and 0.2% a month.
        t.tr = (0..360).map(|k| Decimal::new((k * 37) % 21, 4)).collect();
    }
    t
}

fn schedules(c: &mut Criterion) {
    let mut g = c.benchmark_group("schedule 360 months");
    for (name, system, with_tr) in [
        ("sac", AmortizationSystem::Sac, false),
        ("price", AmortizationSystem::Price, false),
        ("sac with tr", AmortizationSystem::Sac, true),
        ("price with tr", AmortizationSystem::Price, true),
    ] {
        let terms = loan(system, with_tr);
        assert!(simulate(&terms).is_ok(), "{name} must simulate");
        g.bench_function(name, |b| b.iter(|| simulate(black_box(&terms))));
    }
    g.finish();
}

fn rent(c: &mut Criterion) {
    let first = YearMonth::new(2024, 3).unwrap_or_else(|e| panic!("{e}"));
    let last = YearMonth::new(2025, 2).unwrap_or_else(|e| panic!("{e}"));
    let series = first
        .through(last)
        .enumerate()
        .map(|(k, m)| (m, Decimal::new(k as i64 * 13 % 90 - 20, 4)))
        .collect();
    let req = RentAdjustmentRequest {
        index_name: "IGP-M".into(),
        current_rent: Money::brl(Decimal::new(250_000, 2)),
        contract_start: NaiveDate::from_ymd_opt(2024, 3, 10).unwrap_or_default(),
        adjustment_year: 2025,
        renegotiated_on: None,
        lag_months: 1,
        negative_policy: NegativePolicy::Apply,
        series: IndexSeries::Variations(series),
    };
    assert!(adjust_rent(&req).is_ok());
    c.bench_function("rent adjustment 12 variations", |b| {
        b.iter(|| adjust_rent(black_box(&req)))
    });
}

fn ratio(c: &mut Criterion) {
    // 1,000 sales between R$ 200k and R$ 2.2M, valued within about ±15%, from a fixed LCG.
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        state >> 33
    };
    let pairs: Vec<RatioPair> = (0..1000)
        .map(|_| {
            let sale = 20_000_000 + (next() % 200_000_000) as i64;
            let pct = 850 + (next() % 301) as i64; // 0.850 … 1.150
            RatioPair {
                predicted: Money::brl(Decimal::new(sale * pct / 1000, 2)),
                sale_price: Money::brl(Decimal::new(sale, 2)),
            }
        })
        .collect();
    assert!(ratio_study(&pairs).is_ok());
    c.bench_function("ratio study 1000 pairs", |b| {
        b.iter(|| ratio_study(black_box(&pairs)))
    });
}

criterion_group!(benches, schedules, rent, ratio);
criterion_main!(benches);
