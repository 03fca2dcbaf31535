//! Properties of commission statements over random plans and deals: the lines sum exactly to
//! the pool, no net is negative, payouts grow with the deal value, and a full clawback undoes
//! the statement exactly.

#![allow(clippy::unwrap_used)] // test fixtures: a bad fixture should fail loudly

use chrono::{NaiveDate, TimeZone, Utc};
use crm_core::commission::*;
use crm_core::domain::*;
use crm_core::{Currency, Money};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn fail(e: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

#[derive(Debug, Clone)]
struct Case {
    pool: PoolRule,
    partner_pct: Option<u32>,
    shares: [u32; 3],
    sellers: usize,
    irrf: bool,
}

fn pct(p: u32) -> PlanRate {
    PlanRate::new(Decimal::new(i64::from(p), 2))
}

fn pool_rule() -> impl Strategy<Value = PoolRule> {
    prop_oneof![
        (1u32..=10).prop_map(|p| PoolRule::Percentage { rate: pct(p) }),
        (1u32..=8, 1u32..=8, 1u32..=8, 100_000i64..2_000_000).prop_map(|(a, b, c, edge)| {
            PoolRule::Tiered {
                mode: TierMode::Marginal,
                tiers: vec![
                    Tier {
                        from: Decimal::ZERO,
                        to: Some(Decimal::from(edge)),
                        rate: pct(a),
                    },
                    Tier {
                        from: Decimal::from(edge),
                        to: Some(Decimal::from(edge * 2)),
                        rate: pct(b),
                    },
                    Tier {
                        from: Decimal::from(edge * 2),
                        to: None,
                        rate: pct(c),
                    },
                ],
            }
        }),
        (1i64..=10_000_000).prop_map(|c| PoolRule::Fixed {
            amount: Money::brl(Decimal::new(c, 2))
        }),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    (
        pool_rule(),
        prop::option::of(1u32..=60),
        1u32..=98,
        1u32..=98,
        1usize..=3,
        any::<bool>(),
    )
        .prop_filter_map(
            "shares must leave the agency something",
            |(pool, partner_pct, a, b, sellers, irrf)| {
                let (listing, selling) = (a.min(b), a.max(b) - a.min(b));
                let agency = 100u32.checked_sub(listing + selling).filter(|x| *x > 0)?;
                (selling > 0).then_some(Case {
                    pool,
                    partner_pct,
                    shares: [agency, listing, selling],
                    sellers,
                    irrf,
                })
            },
        )
}

fn engine(c: &Case) -> Result<CommissionEngine, TestCaseError> {
    let plan = CommissionPlan {
        id: "prop".into(),
        name: String::new(),
        applies_to: DealKind::Sale,
        pool: c.pool.clone(),
        split: SplitRule {
            first: c
                .partner_pct
                .map(|p| TopShare {
                    role: ParticipantRole::PartnerAgency,
                    percent_of_pool: Some(pct(p)),
                    fixed: None,
                })
                .into_iter()
                .collect(),
            then: vec![
                RoleShare {
                    role: ParticipantRole::Agency,
                    share: pct(c.shares[0]),
                },
                RoleShare {
                    role: ParticipantRole::ListingBroker,
                    share: pct(c.shares[1]),
                },
                RoleShare {
                    role: ParticipantRole::SellingBroker,
                    share: pct(c.shares[2]),
                },
            ],
        },
        accelerators: Vec::new(),
        limits: vec![ParticipantLimit {
            role: ParticipantRole::ListingBroker,
            min: Some(Money::brl(Decimal::ZERO)),
            max: None,
        }],
        house_role: ParticipantRole::Agency,
        vacant_share_to: None,
        administration: None,
        clawback: Some(ClawbackRule {
            window_days: 60,
            mode: ClawbackMode::Full,
        }),
    };
    let taxes: WithholdingTable = from_json(if c.irrf {
        r#"[{"tax": "IRRF", "recipient": "company", "roles": ["partner_agency"], "valid_from": "2020-01-01", "rate": "1.5%", "min_tax": "10.00"},
            {"tax": "IRRF", "recipient": "individual", "valid_from": "2020-01-01", "brackets": [
              {"up_to": "2428.80", "rate": "0", "deduction": "0"}, {"up_to": "2826.65", "rate": "7.5%", "deduction": "182.16"},
              {"up_to": "3751.05", "rate": "15%", "deduction": "394.16"}, {"up_to": "4664.68", "rate": "22.5%", "deduction": "675.49"},
              {"rate": "27.5%", "deduction": "908.73"}]},
            {"tax": "ISS", "roles": ["agency"], "valid_from": "2020-01-01", "rate": "5%"}]"#
    } else {
        "[]"
    })
    .map_err(fail)?;
    CommissionEngine::new(plan, taxes).map_err(fail)
}

fn deal(c: &Case, cents: i64) -> Deal {
    let mut d = Deal::new(
        DealId::from_parts(1, [1; 10]),
        LeadId::from_parts(1, [2; 10]),
        PropertyId::from_parts(1, [3; 10]),
        DealKind::Sale,
        Money::brl(Decimal::new(cents, 2)),
        day(2026, 5, 4),
        Utc.with_ymd_and_hms(2026, 5, 4, 12, 0, 0).unwrap(),
    );
    d.closed_on = Some(day(2026, 5, 20));
    d.participants = vec![
        Participant::agency(),
        Participant::broker(
            ParticipantRole::ListingBroker,
            AgentId::from_parts(1, [4; 10]),
        ),
    ];
    for s in 0..c.sellers {
        d.participants.push(Participant::broker(
            ParticipantRole::SellingBroker,
            AgentId::from_parts(2, [s as u8 + 5; 10]),
        ));
    }
    if c.partner_pct.is_some() {
        d.participants.push(Participant::partner_agency(
            "Parceira Ltda",
            "11.222.333/0001-81",
        ));
    }
    d
}

fn value() -> impl Strategy<Value = i64> {
    100_000_i64..5_000_000_000
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn lines_sum_to_the_pool_and_no_net_is_negative(c in case(), v in value()) {
        let e = engine(&c)?;
        let s = e.statement(&deal(&c, v), &StatementContext::on(day(2026, 5, 20))).map_err(fail)?;
        let gross = Money::sum(Currency::BRL, s.lines.iter().map(|l| l.gross)).map_err(fail)?;
        prop_assert_eq!(gross, s.pool);
        let paid = Money::sum(Currency::BRL, [s.total_net, s.total_withheld]).map_err(fail)?;
        prop_assert_eq!(paid, s.pool);
        for l in &s.lines {
            prop_assert!(!l.net.is_negative() && !l.gross.is_negative(), "{:?}", l);
            prop_assert!(l.gross.is_whole_minor_units());
        }
        prop_assert!(s.ledger_entry().is_balanced());
    }

    #[test]
    fn payouts_grow_with_the_deal_value(c in case(), v in value(), step in 0i64..1_000_000_000) {
        // Plans here have no caps. The pool never falls as the value rises; a line may lose at
        // most the one cent that largest-remainder allocation can move between lines when the
        // total grows (the Alabama paradox of Hamilton's method).
        let e = engine(&c)?;
        let ctx = StatementContext::on(day(2026, 5, 20));
        let a = e.statement(&deal(&c, v), &ctx).map_err(fail)?;
        let b = e.statement(&deal(&c, v + step), &ctx).map_err(fail)?;
        prop_assert!(b.pool.amount() >= a.pool.amount());
        let cent = Decimal::new(1, 2);
        for (x, y) in a.lines.iter().zip(&b.lines) {
            prop_assert!(y.gross.amount() + cent >= x.gross.amount(), "{} then {}", x.gross, y.gross);
        }
    }

    #[test]
    fn a_full_clawback_undoes_the_statement(c in case(), v in value(), days in 0u64..=60) {
        let e = engine(&c)?;
        let s = e.statement(&deal(&c, v), &StatementContext::on(day(2026, 5, 20))).map_err(fail)?;
        let r = e.clawback(&s, day(2026, 5, 20) + chrono::Days::new(days), None).map_err(fail)?;
        prop_assert!(r.within_window);
        let back: Vec<&ReversalLine> = r.lines.iter().collect();
        for l in s.lines.iter().filter(|l| !l.gross.is_zero()) {
            let rl = back.iter().find(|b| b.participant == l.participant).ok_or_else(|| fail("missing line"))?;
            prop_assert!(l.gross.checked_add(rl.gross).map_err(fail)?.is_zero());
            prop_assert!(l.net.checked_add(rl.net).map_err(fail)?.is_zero());
            let w: Vec<Money> = l.withholdings.iter().map(|w| w.amount).collect();
            let wr: Vec<Money> = rl.withholdings.iter().map(|w| -w.amount).collect();
            prop_assert_eq!(w, wr);
        }
        prop_assert!(s.pool.checked_add(r.total_gross).map_err(fail)?.is_zero());
        prop_assert!(r.ledger_entry().is_balanced());
    }

    #[test]
    fn plan_json_never_panics(s in ".{0,200}") {
        let _ = from_json::<CommissionPlan>(&s);
        let _ = from_json::<WithholdingTable>(&s);
    }
}
