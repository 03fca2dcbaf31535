//! Statements worked by hand from the plan's rules.

use super::*;
use crate::domain::*;
use crate::error::ErrorCode;
use crate::money::Money;
use chrono::{NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn agent(n: u8) -> AgentId {
    AgentId::from_parts(1, [n; 10])
}

fn sale(value: Decimal, participants: Vec<Participant>) -> Deal {
    let mut d = Deal::new(
        DealId::from_parts(1, [1; 10]),
        LeadId::from_parts(1, [2; 10]),
        PropertyId::from_parts(1, [3; 10]),
        DealKind::Sale,
        Money::brl(value),
        day(2026, 5, 4),
        Utc.with_ymd_and_hms(2026, 5, 4, 12, 0, 0).unwrap(),
    );
    d.closed_on = Some(day(2026, 5, 20));
    d.participants = participants;
    d
}

fn trio() -> Vec<Participant> {
    vec![
        Participant::agency(),
        Participant::broker(ParticipantRole::ListingBroker, agent(4)),
        Participant::broker(ParticipantRole::SellingBroker, agent(5)),
    ]
}

fn engine(plan_json: &str) -> CommissionEngine {
    engine_with(plan_json, "[]")
}

fn engine_with(plan_json: &str, taxes: &str) -> CommissionEngine {
    let plan: CommissionPlan = from_json(plan_json).unwrap();
    let taxes: WithholdingTable = from_json(taxes).unwrap();
    CommissionEngine::new(plan, taxes).unwrap()
}

const FIFTY_TWENTY_THIRTY: &str = r#"{"id": "venda", "applies_to": "sale",
    "pool": {"type": "percentage", "rate": "6%"},
    "split": {"then": [{"role": "agency", "share": "50%"}, {"role": "listing_broker", "share": "20%"},
                       {"role": "selling_broker", "share": "30%"}]}"#;

fn plan_with(extra: &str) -> String {
    format!("{FIFTY_TWENTY_THIRTY}{extra}}}")
}

fn grosses(s: &CommissionStatement) -> Vec<Decimal> {
    s.lines.iter().map(|l| l.gross.amount()).collect()
}

fn statement(e: &CommissionEngine, d: &Deal) -> CommissionStatement {
    e.statement(d, &StatementContext::on(day(2026, 5, 20)))
        .unwrap()
}

fn code(r: Result<CommissionStatement, crate::Error>) -> Vec<(String, ErrorCode)> {
    r.err()
        .map(|e| {
            e.field_errors()
                .into_iter()
                .map(|f| (f.path, f.code))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_issues_worked_example() {
    // 850,000.00 · 6% = 51,000.00; 50/20/30 → 25,500.00 / 10,200.00 / 15,300.00
    let s = statement(&engine(&plan_with("")), &sale(dec!(850000), trio()));
    assert_eq!(s.pool, Money::brl(dec!(51000.00)));
    assert_eq!(
        grosses(&s),
        [dec!(25500.00), dec!(10200.00), dec!(15300.00)]
    );
    assert_eq!(s.total_net, s.pool);
    assert!(s.ledger_entry().is_balanced());
}

#[test]
fn partner_agency_first_then_the_remainder() {
    // 51,000 · 50% = 25,500 to the partner; the remaining 25,500 split 50/20/30:
    // 12,750.00 / 5,100.00 / 7,650.00.
    let plan = r#"{"id": "parceria", "applies_to": "sale", "pool": {"type": "percentage", "rate": "6%"},
        "split": {"first": [{"role": "partner_agency", "percent_of_pool": "50%"}],
                  "then": [{"role": "agency", "share": "50%"}, {"role": "listing_broker", "share": "20%"},
                           {"role": "selling_broker", "share": "30%"}]}}"#;
    let mut people = trio();
    people.push(Participant::partner_agency(
        "Paulista Prime Ltda",
        "11.222.333/0001-81",
    ));
    let s = statement(&engine(plan), &sale(dec!(850000), people));
    assert_eq!(
        grosses(&s),
        [dec!(12750.00), dec!(5100.00), dec!(7650.00), dec!(25500.00)]
    );
    // Without a partner in the deal, the partner's share is skipped, not paid to nobody.
    let s = statement(&engine(plan), &sale(dec!(850000), trio()));
    assert_eq!(
        grosses(&s),
        [dec!(25500.00), dec!(10200.00), dec!(15300.00)]
    );
    assert!(
        s.pool_trail
            .iter()
            .any(|t| matches!(t, Explanation::TopShareSkipped { .. }))
    );
}

#[test]
fn silent_plans_share_equally_odd_cents_to_the_first() {
    // Art. 728: 1,000.00 among three → 333.34 + 333.33 + 333.33.
    let plan =
        r#"{"id": "fixa", "applies_to": "sale", "pool": {"type": "fixed", "amount": "1000.00"}}"#;
    let s = statement(&engine(plan), &sale(dec!(500000), trio()));
    assert_eq!(grosses(&s), [dec!(333.34), dec!(333.33), dec!(333.33)]);
}

#[test]
fn holders_of_one_role_share_it_equally() {
    // 51,000: agency 25,500; listing 10,200; two sellers share 15,300 → 7,650.00 each.
    let mut people = trio();
    people.push(Participant::broker(
        ParticipantRole::SellingBroker,
        agent(6),
    ));
    let s = statement(&engine(&plan_with("")), &sale(dec!(850000), people));
    assert_eq!(
        grosses(&s),
        [dec!(25500.00), dec!(10200.00), dec!(7650.00), dec!(7650.00)]
    );
    // A pool of 100.01 with three sellers at 30%: exact shares 50.005, 20.002, 10.001 ×3
    // → floors 50.00, 20.00, 10.00 ×3 = 100.00; the cent goes to the largest remainder
    // (agency, 0.5 cent) → 50.01, 20.00, 10.00, 10.00, 10.00.
    let plan = r#"{"id": "f", "applies_to": "sale", "pool": {"type": "fixed", "amount": "100.01"},
        "split": {"then": [{"role": "agency", "share": "50%"}, {"role": "listing_broker", "share": "20%"},
                           {"role": "selling_broker", "share": "30%"}]}}"#;
    let mut people = trio();
    people.push(Participant::broker(
        ParticipantRole::SellingBroker,
        agent(6),
    ));
    people.push(Participant::broker(
        ParticipantRole::SellingBroker,
        agent(7),
    ));
    let s = statement(&engine(plan), &sale(dec!(850000), people));
    assert_eq!(
        grosses(&s),
        [
            dec!(50.01),
            dec!(20.00),
            dec!(10.00),
            dec!(10.00),
            dec!(10.00)
        ]
    );
}

#[test]
fn vacant_roles_and_unpaid_roles() {
    let people = vec![
        Participant::agency(),
        Participant::broker(ParticipantRole::SellingBroker, agent(5)),
    ];
    // No captador and no rule for vacancies: refused, naming the role.
    assert_eq!(
        code(engine(&plan_with("")).statement(
            &sale(dec!(850000), people.clone()),
            &StatementContext::on(day(2026, 5, 20))
        )),
        [(
            "split.then[1].role".to_owned(),
            ErrorCode::CommissionRoleUnfilled
        )]
    );
    // With vacancies to the agency: 70% / 30% → 35,700.00 / 15,300.00.
    let s = statement(
        &engine(&plan_with(r#", "vacant_share_to": "agency""#)),
        &sale(dec!(850000), people),
    );
    assert_eq!(grosses(&s), [dec!(35700.00), dec!(15300.00)]);
    // A referral the plan does not pay is an error, not a silent zero.
    let mut people = trio();
    people.push(Participant {
        role: ParticipantRole::Referral,
        agent_id: None,
        name: Some("Ana".into()),
        document: None,
        recipient: RecipientType::Individual,
    });
    assert_eq!(
        code(engine(&plan_with("")).statement(
            &sale(dec!(850000), people),
            &StatementContext::on(day(2026, 5, 20))
        )),
        [(
            "participants[3].role".to_owned(),
            ErrorCode::CommissionRoleUnpaid
        )]
    );
}

#[test]
fn accelerators_take_from_the_house() {
    // Seller at 40% instead of 30% once volume so far + this deal ≥ 3,000,000; the agency
    // funds the 10 points: 51,000 → agency 20,400.00, listing 10,200.00, seller 20,400.00.
    let e = engine(&plan_with(
        r#", "accelerators": [{"role": "selling_broker", "from_volume": "3000000", "share": "40%"}]"#,
    ));
    let deal = sale(dec!(850000), trio());
    let mut ctx = StatementContext::on(day(2026, 5, 20));
    ctx.period_volumes
        .insert(agent(5), Money::brl(dec!(2150000)));
    let s = e.statement(&deal, &ctx).unwrap();
    assert_eq!(
        grosses(&s),
        [dec!(20400.00), dec!(10200.00), dec!(20400.00)]
    );
    // One cent short of the threshold: base shares.
    ctx.period_volumes
        .insert(agent(5), Money::brl(dec!(2149999.99)));
    assert_eq!(
        grosses(&e.statement(&deal, &ctx).unwrap()),
        [dec!(25500.00), dec!(10200.00), dec!(15300.00)]
    );
}

#[test]
fn caps_and_minimums_settle_against_the_house() {
    // Seller capped at 12,000: 3,300 back to the agency → 28,800 / 10,200 / 12,000.
    let e = engine(&plan_with(
        r#", "limits": [{"role": "selling_broker", "max": "12000.00"}]"#,
    ));
    let s = statement(&e, &sale(dec!(850000), trio()));
    assert_eq!(
        grosses(&s),
        [dec!(28800.00), dec!(10200.00), dec!(12000.00)]
    );
    // Captador raised to 12,000: 1,800 from the agency → 23,700 / 12,000 / 15,300.
    let e = engine(&plan_with(
        r#", "limits": [{"role": "listing_broker", "min": "12000.00"}]"#,
    ));
    let s = statement(&e, &sale(dec!(850000), trio()));
    assert_eq!(
        grosses(&s),
        [dec!(23700.00), dec!(12000.00), dec!(15300.00)]
    );
    // Limits not reached change nothing.
    let e = engine(&plan_with(
        r#", "limits": [{"role": "selling_broker", "min": "100.00", "max": "20000.00"}]"#,
    ));
    assert_eq!(
        grosses(&statement(&e, &sale(dec!(850000), trio()))),
        [dec!(25500.00), dec!(10200.00), dec!(15300.00)]
    );
}

#[test]
fn withholding_by_recipient_role_and_date() {
    let taxes = r#"[
        {"tax": "IRRF", "recipient": "company", "roles": ["partner_agency"], "valid_from": "2020-01-01", "rate": "1.5%", "min_tax": "10.00"},
        {"tax": "ISS", "roles": ["agency"], "valid_from": "2020-01-01", "rate": "5%"}]"#;
    let plan = r#"{"id": "parceria", "applies_to": "sale", "pool": {"type": "percentage", "rate": "6%"},
        "split": {"first": [{"role": "partner_agency", "percent_of_pool": "50%"}],
                  "then": [{"role": "agency", "share": "50%"}, {"role": "listing_broker", "share": "20%"},
                           {"role": "selling_broker", "share": "30%"}]}}"#;
    let mut people = trio();
    people.push(Participant::partner_agency(
        "Paulista Prime Ltda",
        "11.222.333/0001-81",
    ));
    let s = statement(&engine_with(plan, taxes), &sale(dec!(850000), people));
    // Agency 12,750 · 5% ISS = 637.50; partner 25,500 · 1.5% IRRF = 382.50.
    let nets: Vec<Decimal> = s.lines.iter().map(|l| l.net.amount()).collect();
    assert_eq!(
        nets,
        [dec!(12112.50), dec!(5100.00), dec!(7650.00), dec!(25117.50)]
    );
    assert_eq!(s.total_withheld, Money::brl(dec!(1020.00)));
    let entry = s.ledger_entry();
    assert!(entry.is_balanced());
    assert_eq!(entry.postings.len(), 7);
}

#[test]
fn pool_exceeded_and_kind_mismatch() {
    let plan = r#"{"id": "x", "applies_to": "sale", "pool": {"type": "percentage", "rate": "6%"},
        "split": {"first": [{"role": "referral", "fixed": "60000.00"}]}}"#;
    let mut people = trio();
    people.push(Participant {
        role: ParticipantRole::Referral,
        agent_id: None,
        name: Some("Ana".into()),
        document: None,
        recipient: RecipientType::Individual,
    });
    let r = engine(plan).statement(
        &sale(dec!(850000), people),
        &StatementContext::on(day(2026, 5, 20)),
    );
    assert_eq!(
        r.err().map(|e| e.code()),
        Some(ErrorCode::CommissionPoolExceeded)
    );
    let mut lease = sale(dec!(4000), trio());
    lease.kind = DealKind::Lease;
    assert_eq!(
        code(engine(&plan_with("")).statement(&lease, &StatementContext::on(day(2026, 5, 20)))),
        [("kind".to_owned(), ErrorCode::CommissionDealKind)]
    );
}

#[test]
fn full_clawback_nets_the_original_to_zero() {
    let e = engine(&plan_with(
        r#", "clawback": {"window_days": 90, "mode": "full"}"#,
    ));
    let s = statement(&e, &sale(dec!(850000), trio()));
    let r = e.clawback(&s, day(2026, 8, 18), None).unwrap(); // 90 days after 20 May: inside
    assert!(r.within_window);
    assert_eq!(r.days_elapsed, 90);
    for (line, back) in s.lines.iter().zip(&r.lines) {
        assert_eq!(
            line.gross.checked_add(back.gross).unwrap(),
            Money::brl(dec!(0))
        );
        assert_eq!(line.net.checked_add(back.net).unwrap(), Money::brl(dec!(0)));
    }
    let (a, b) = (s.ledger_entry(), r.ledger_entry());
    assert!(a.is_balanced() && b.is_balanced());
    // One day later: outside the window, the fee stays due (art. 725).
    let r = e.clawback(&s, day(2026, 8, 19), None).unwrap();
    assert!(!r.within_window && r.lines.is_empty());
    // Never more than was paid: the seller got only 5,000 so far.
    let paid = [s.lines[0].gross, s.lines[1].gross, Money::brl(dec!(5000))];
    let r = e.clawback(&s, day(2026, 6, 1), Some(&paid)).unwrap();
    assert_eq!(r.lines[2].gross, Money::brl(dec!(-5000)));
    assert_eq!(r.total_gross, Money::brl(dec!(-40700.00)));
    assert_eq!(
        e.clawback(&s, day(2026, 5, 1), None)
            .err()
            .map(|e| e.code()),
        Some(ErrorCode::DateOrder)
    );
}

#[test]
fn administration_with_a_brokers_share() {
    // 10% of a 3,100.00 rent; 10 of 31 days in March: 3,100 · 10/31 = 1,000.00 due; fee 100.00
    // split agency 80% / captador 20% → 80.00 / 20.00; landlord 900.00.
    let plan = r#"{"id": "loc", "applies_to": "lease", "pool": {"type": "first_rent"},
        "split": {"then": [{"role": "agency", "share": "100%"}]},
        "administration": {"rate": "10%", "split": {"then": [{"role": "agency", "share": "80%"}, {"role": "listing_broker", "share": "20%"}]}}}"#;
    let e = engine(plan);
    let mut lease = sale(dec!(3100), trio());
    lease.kind = DealKind::Lease;
    let receipt = RentReceipt {
        period_start: day(2026, 3, 22),
        period_end: day(2026, 3, 31),
        received: None,
    };
    let a = e.administration(&lease, &receipt).unwrap();
    assert_eq!((a.days, a.days_in_month), (10, 31));
    assert_eq!(a.rent_due, Money::brl(dec!(1000.00)));
    assert_eq!(a.fee, Money::brl(dec!(100.00)));
    assert_eq!(
        a.lines
            .iter()
            .map(|l| (l.participant, l.gross.amount()))
            .collect::<Vec<_>>(),
        [(0, dec!(80.00)), (1, dec!(20.00))]
    );
    assert_eq!(a.landlord_net, Money::brl(dec!(900.00)));
    assert!(a.ledger_entry().unwrap().is_balanced());
    // The placement fee is the first rent, all to the agency here: 3,100.00.
    let s = e.statement(&lease, &StatementContext::on(day(2026, 3, 1)));
    assert_eq!(
        s.err().map(|e| e.code()),
        Some(ErrorCode::CommissionRoleUnpaid)
    );
    let bad = RentReceipt {
        period_start: day(2026, 3, 22),
        period_end: day(2026, 4, 2),
        received: None,
    };
    assert_eq!(
        e.administration(&lease, &bad).err().map(|e| e.code()),
        Some(ErrorCode::CommissionPeriod)
    );
}

#[test]
fn plan_and_table_problems_are_reported_together() {
    let plan: CommissionPlan = from_json(
        r#"{"id": " ", "applies_to": "sale", "pool": {"type": "first_rent", "share": "110%"},
        "split": {"first": [{"role": "referral"}], "then": [{"role": "agency", "share": "60%"}, {"role": "agency", "share": "30%"}]},
        "limits": [{"role": "selling_broker", "min": "500", "max": "100"}],
        "accelerators": [{"role": "listing_broker", "from_volume": "1", "share": "50%"}],
        "clawback": {"window_days": 0, "mode": "full"}}"#,
    )
    .unwrap();
    let taxes: WithholdingTable =
        from_json(r#"[{"tax": "IRRF", "valid_from": "2025-01-01"}]"#).unwrap();
    let errors = CommissionEngine::new(plan, taxes).unwrap_err();
    let found: Vec<(&str, &str)> = errors
        .errors()
        .iter()
        .map(|e| (e.path.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("id", "validation.required"),
            ("pool.share", "validation.rate.range"),
            ("pool.type", "validation.commission.pool_kind"),
            ("split.first[0]", "validation.commission.share_kind"),
            ("split.then[1].role", "validation.commission.role_duplicate"),
            ("split.then", "validation.commission.shares_sum"),
            ("accelerators[0].share", "validation.commission.accelerator"),
            ("limits[0].max", "validation.commission.cap_below_minimum"),
            ("clawback.window_days", "validation.number.range"),
            ("withholding[0]", "validation.withholding.rule"),
        ]
    );
}

/// The 2026 IRPF monthly table's top brackets and ISS on the agency, as hosts run it.
const HOST_TAXES: &str = r#"[
    {"tax": "ISS", "roles": ["agency"], "valid_from": "2020-01-01", "rate": "5%"},
    {"tax": "IRRF", "recipient": "individual", "valid_from": "2025-05-01", "brackets": [
        {"up_to": "2428.80", "rate": "0", "deduction": "0"},
        {"up_to": "2826.65", "rate": "7.5%", "deduction": "182.16"},
        {"up_to": "3751.05", "rate": "15%", "deduction": "394.16"},
        {"up_to": "4664.68", "rate": "22.5%", "deduction": "675.49"},
        {"rate": "27.5%", "deduction": "908.73"}]}]"#;

#[test]
fn statement_without_trails_has_the_numbers_worked_by_hand() {
    // 850,000.00 · 6% = 51,000.00. The seller's 2,150,000.00 so far + 850,000.00 reaches the
    // 3,000,000.00 accelerator: 40% instead of 30%, funded by the agency → 20,400.00 /
    // 10,200.00 / 20,400.00; the seller's cap of 18,000.00 sends 2,400.00 back to the agency →
    // 22,800.00 / 10,200.00 / 18,000.00.
    // Agency: ISS 5% of 22,800.00 = 1,140.00 → 21,660.00.
    // Listing: 10,200.00 · 27.5% − 908.73 = 1,896.27 → 8,303.73.
    // Seller: 18,000.00 · 27.5% − 908.73 = 4,041.27 → 13,958.73.
    let e = engine_with(
        &plan_with(
            r#", "accelerators": [{"role": "selling_broker", "from_volume": "3000000", "share": "40%"}],
               "limits": [{"role": "selling_broker", "max": "18000.00"}]"#,
        ),
        HOST_TAXES,
    );
    let deal = sale(dec!(850000), trio());
    let mut ctx = StatementContext::on(day(2026, 5, 20));
    ctx.period_volumes
        .insert(agent(5), Money::brl(dec!(2150000)));
    let s = e.statement_without_trails(&deal, &ctx).unwrap();
    assert_eq!(s.pool, Money::brl(dec!(51000.00)));
    assert_eq!(
        grosses(&s),
        [dec!(22800.00), dec!(10200.00), dec!(18000.00)]
    );
    let withheld: Vec<Decimal> = s
        .lines
        .iter()
        .map(|l| l.withheld().unwrap().amount())
        .collect();
    assert_eq!(withheld, [dec!(1140.00), dec!(1896.27), dec!(4041.27)]);
    let nets: Vec<Decimal> = s.lines.iter().map(|l| l.net.amount()).collect();
    assert_eq!(nets, [dec!(21660.00), dec!(8303.73), dec!(13958.73)]);
    assert_eq!(s.total_withheld, Money::brl(dec!(7077.54)));
    assert_eq!(s.total_net, Money::brl(dec!(43922.46)));
    assert_eq!(s.date, day(2026, 5, 20));
    assert!(s.pool_trail.is_empty());
    assert!(s.lines.iter().all(|l| l.trail.is_empty()));

    // The full statement is the same with its trails, which explain the seller's line.
    let mut full = e.statement(&deal, &ctx).unwrap();
    assert_eq!(
        full.lines[2].trail,
        [
            Explanation::RoleShare {
                share: dec!(0.30),
                holders: 1
            },
            Explanation::Accelerated {
                from_volume: dec!(3000000),
                volume: dec!(3000000),
                share: dec!(0.40)
            },
            Explanation::Allocated {
                amount: Money::brl(dec!(20400.00))
            },
            Explanation::Capped {
                max: Money::brl(dec!(18000.00)),
                excess: Money::brl(dec!(2400.00))
            },
        ]
    );
    assert_eq!(
        full.pool_trail,
        [
            Explanation::PoolPercentage {
                rate: dec!(0.06),
                base: Money::brl(dec!(850000))
            },
            Explanation::PoolRounded {
                exact: dec!(51000),
                rounded: Money::brl(dec!(51000.00))
            },
            Explanation::Remainder {
                amount: Money::brl(dec!(51000.00))
            },
        ]
    );
    full.pool_trail.clear();
    for line in &mut full.lines {
        line.trail.clear();
    }
    assert_eq!(full, s);

    // Errors are the same too.
    let mut empty = deal.clone();
    empty.participants.clear();
    assert_eq!(
        e.statement_without_trails(&empty, &ctx).err(),
        e.statement(&empty, &ctx).err()
    );
    assert_eq!(
        code(e.statement_without_trails(&empty, &ctx)),
        [(
            "participants".to_owned(),
            ErrorCode::DealParticipantsMissing
        )]
    );
}
