//! Commission plans as data: how the fee pool is computed and how it is split by role.
//!
//! A plan is what the agency agreed up front, written once as JSON and read by every host:
//!
//! ```json
//! {
//!   "id": "horizonte-venda-2026",
//!   "applies_to": "sale",
//!   "pool": {"type": "tiered", "mode": "marginal", "tiers": [
//!       {"from": "0", "to": "1000000", "rate": "6%"},
//!       {"from": "1000000", "to": null, "rate": "5%"}]},
//!   "split": {
//!     "first": [{"role": "partner_agency", "percent_of_pool": "50%"}],
//!     "then": [{"role": "agency", "share": "50%"},
//!              {"role": "listing_broker", "share": "20%"},
//!              {"role": "selling_broker", "share": "30%"}]},
//!   "accelerators": [{"role": "selling_broker", "from_volume": "3000000", "share": "35%"}],
//!   "limits": [{"role": "selling_broker", "min": "500.00", "max": "40000.00"}],
//!   "clawback": {"window_days": 90, "mode": "pro_rata"}
//! }
//! ```

use super::rate::PlanRate;
use crate::domain::{DealKind, ParticipantRole};
use crate::money::Money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A commission plan. Read it with [`crate::domain::from_json`], then check it with
/// [`CommissionPlan::validate`], which reports every problem with its path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommissionPlan {
    /// A stable id, quoted on statements and ledger entries.
    pub id: String,
    /// A name for people.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Sale plans apply to sales; lease plans to leases (placement fee and administration).
    pub applies_to: DealKind,
    /// How the fee pool is computed.
    pub pool: PoolRule,
    /// How the pool is split by role.
    #[serde(default)]
    pub split: SplitRule,
    /// Higher shares for brokers whose volume in the period reaches a threshold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accelerators: Vec<Accelerator>,
    /// Minimum and maximum gross per participant of a role.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub limits: Vec<ParticipantLimit>,
    /// Who absorbs what caps cut and funds what minimums add (and funds accelerators).
    #[serde(default = "agency_role")]
    pub house_role: ParticipantRole,
    /// When a role in `split.then` has no participant in a deal, its share goes to this role;
    /// without it, such a deal is refused (`validation.commission.role_unfilled`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vacant_share_to: Option<ParticipantRole>,
    /// Monthly administration fee of a lease.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub administration: Option<AdministrationRule>,
    /// Clawback of paid commissions when a deal is cancelled (distrato).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clawback: Option<ClawbackRule>,
}

fn agency_role() -> ParticipantRole {
    ParticipantRole::Agency
}

/// How the fee pool of a deal is computed from its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum PoolRule {
    /// A percentage of the deal value (a sale's price), rounded half-even to cents.
    Percentage {
        /// The rate, such as `"6%"`.
        rate: PlanRate,
    },
    /// A fixed fee.
    Fixed {
        /// The fee.
        amount: Money,
    },
    /// Rates by brackets of the deal value.
    Tiered {
        /// Flat: the bracket's rate applies to the whole value; marginal: each bracket's rate
        /// applies to its slice.
        mode: TierMode,
        /// Contiguous brackets from zero, the last one open-ended.
        tiers: Vec<Tier>,
    },
    /// A lease's placement fee: the first month's rent (the deal value) times `share`.
    FirstRent {
        /// Share of the first rent; 100% when absent.
        #[serde(default = "whole")]
        share: PlanRate,
    },
}

fn whole() -> PlanRate {
    PlanRate::new(Decimal::ONE)
}

/// Flat or marginal tiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TierMode {
    /// The bracket the whole value falls in sets the rate for the whole value.
    Flat,
    /// Each bracket's rate applies to the slice of the value inside it.
    Marginal,
}

/// A bracket of deal values: above `from`, up to and including `to` (the first bracket also
/// includes zero). `to: null` is open-ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// Lower bound (exclusive, except zero in the first bracket).
    #[serde(with = "crate::money::strict_decimal")]
    pub from: Decimal,
    /// Upper bound (inclusive); `null` for the last, open-ended bracket.
    #[serde(default, with = "optional_decimal")]
    pub to: Option<Decimal>,
    /// The bracket's rate.
    pub rate: PlanRate,
}

/// How the pool is split: shares off the top in order, then the remainder by role.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitRule {
    /// Taken off the top, in order (a partner agency's half, a referral's fixed fee).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub first: Vec<TopShare>,
    /// The remainder, by role; the shares sum to 100%. Empty means the agreement is silent and
    /// every remaining participant shares equally (Civil Code art. 728).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub then: Vec<RoleShare>,
}

/// A share taken off the top of the pool: exactly one of `percent_of_pool` and `fixed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopShare {
    /// Who takes it.
    pub role: ParticipantRole,
    /// A percentage of the pool, rounded half-even to cents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent_of_pool: Option<PlanRate>,
    /// A fixed amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<Money>,
}

/// A role's share of the remainder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleShare {
    /// The role.
    pub role: ParticipantRole,
    /// Its share of the remainder; several participants in the role share it equally.
    pub share: PlanRate,
}

/// A higher share of the remainder for a participant of `role` once their volume in the
/// period — the volume so far plus this deal's value — reaches `from_volume`. The highest
/// level reached applies; the increase is taken from the plan's `house_role`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accelerator {
    /// The role it applies to (a role of `split.then`).
    pub role: ParticipantRole,
    /// The volume that unlocks it (inclusive).
    #[serde(with = "crate::money::strict_decimal")]
    pub from_volume: Decimal,
    /// The role's share of the remainder once unlocked.
    pub share: PlanRate,
}

/// Minimum and maximum gross for each participant of a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipantLimit {
    /// The role.
    pub role: ParticipantRole,
    /// The least a participant of the role gets (topped up from the house role).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Money>,
    /// The most a participant of the role gets (the excess goes to the house role).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Money>,
}

/// The monthly administration fee of a lease: a rate on each rent received, split by role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdministrationRule {
    /// Rate on the rent received (8–10% is usual).
    pub rate: PlanRate,
    /// How the fee is split; absent means the agency keeps it all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<SplitRule>,
}

/// How much of a paid commission comes back when a deal is cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClawbackRule {
    /// Days after closing within which a cancellation claws back (inclusive).
    pub window_days: u32,
    /// Full or pro-rata.
    pub mode: ClawbackMode,
}

/// Full or pro-rata clawback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClawbackMode {
    /// Everything paid comes back.
    Full,
    /// A share that falls linearly from 100% on the closing day to 0% at the window's end:
    /// `(window_days − days_elapsed) / window_days`.
    ProRata,
}

/// Serde for `Option<Decimal>` through the strict (no float) reader.
pub(crate) mod optional_decimal {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.collect_str(v),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        #[derive(Deserialize)]
        struct Wrap(#[serde(with = "crate::money::strict_decimal")] Decimal);
        Ok(Option::<Wrap>::deserialize(d)?.map(|w| w.0))
    }
}
