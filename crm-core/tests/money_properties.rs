//! Properties of exact money: allocation always sums to the total, is deterministic and
//! proportional within a cent; rounding and parsing never panic.

use crm_core::{Currency, Money, Rate, RoundingMode, allocate, allocate_even};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn cents() -> impl Strategy<Value = i64> {
    prop_oneof![-100_000_000_000i64..100_000_000_000, -1000i64..1000]
}

fn weights() -> impl Strategy<Value = Vec<Decimal>> {
    prop::collection::vec(
        (0u32..1_000_000, 0u32..6).prop_map(|(m, s)| Decimal::new(i64::from(m), s)),
        1..12,
    )
    .prop_filter("some weight above zero", |w| w.iter().any(|x| !x.is_zero()))
}

fn fail(e: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

proptest! {
    #[test]
    fn allocation_sums_exactly_and_is_deterministic(c in cents(), w in weights()) {
        let total = Money::brl(Decimal::new(c, 2));
        let parts = allocate(total, &w).map_err(fail)?;
        prop_assert_eq!(parts.len(), w.len());
        let sum = Money::sum(Currency::BRL, parts.iter().copied()).map_err(fail)?;
        prop_assert_eq!(sum, total);
        let again = allocate(total, &w).map_err(fail)?;
        prop_assert_eq!(&parts, &again);
        // Each part is within one cent of its exact share, and zero weights get zero.
        let wsum: Decimal = w.iter().sum();
        for (p, wi) in parts.iter().zip(&w) {
            prop_assert!(p.is_whole_minor_units());
            if wi.is_zero() {
                prop_assert!(p.is_zero());
            }
            let exact = total.amount() * *wi / wsum;
            prop_assert!((p.amount() - exact).abs() < Decimal::new(1, 2), "{} vs exact {}", p.amount(), exact);
        }
    }

    #[test]
    fn negative_totals_mirror_positive_ones(c in 0i64..100_000_000, n in 1usize..20) {
        let pos = allocate_even(Money::brl(Decimal::new(c, 2)), n).map_err(fail)?;
        let neg = allocate_even(Money::brl(Decimal::new(-c, 2)), n).map_err(fail)?;
        let mirrored: Vec<Money> = pos.into_iter().map(|m| -m).collect();
        prop_assert_eq!(neg, mirrored);
    }

    #[test]
    fn even_split_parts_differ_by_at_most_a_cent_earlier_first(c in 0i64..100_000_000, n in 1usize..40) {
        let parts = allocate_even(Money::brl(Decimal::new(c, 2)), n).map_err(fail)?;
        for pair in parts.windows(2) {
            let d = pair[0].amount() - pair[1].amount();
            prop_assert!(d == Decimal::ZERO || d == Decimal::new(1, 2));
        }
    }

    #[test]
    fn parsers_never_panic(s in ".{0,64}") {
        let _ = Rate::parse(&s);
        let _ = Money::parse(&s);
        let _ = Currency::parse(&s);
        let _ = crm_core::money::parse_decimal(&s);
    }

    #[test]
    fn rate_display_parses_back(bp in 0u32..=10_000) {
        let rate = Rate::new(Decimal::new(i64::from(bp), 4)).map_err(fail)?;
        prop_assert_eq!(Rate::parse(&rate.to_string()).ok(), Some(rate));
        let json = serde_json::to_string(&rate).map_err(fail)?;
        prop_assert_eq!(serde_json::from_str::<Rate>(&json).ok(), Some(rate));
    }

    #[test]
    fn half_modes_stay_within_half_a_cent(m in any::<i64>(), s in 0u32..12) {
        let v = Decimal::new(m, s);
        for mode in [RoundingMode::HalfEven, RoundingMode::HalfUp, RoundingMode::HalfDown] {
            let r = mode.round(v, 2);
            prop_assert!((r - v).abs() <= Decimal::new(5, 3));
        }
        prop_assert!(RoundingMode::Floor.round(v, 2) <= v);
        prop_assert!(RoundingMode::Ceiling.round(v, 2) >= v);
    }
}
