//! The commission engine: plans as data, fee pools, splits between agency, partner agency,
//! listing and selling brokers and referrals, dated withholding, lease administration,
//! clawbacks and balanced ledger entries — exact to the cent.
//!
//! Build a [`CommissionEngine`] from a [`CommissionPlan`] and a [`WithholdingTable`] (both
//! validated once, every problem reported with its path), then ask it for statements:
//! [`CommissionEngine::statement`] for a sale or a lease's placement fee (or
//! [`CommissionEngine::statement_without_trails`] for the same numbers without the explanation
//! trails, cheaper when many statements are only tabulated),
//! [`CommissionEngine::administration`] for a month of a lease, and
//! [`CommissionEngine::clawback`] when a deal is cancelled. Each result turns into a
//! [`LedgerEntry`] whose postings sum to zero.
//!
//! Rounding: the pool is rounded half-even to cents once; shares off the top as a percentage
//! of the pool are rounded half-even; the remainder is split with [`crate::allocate`]
//! (largest remainder, ties to the earlier participant), so the lines always sum exactly to
//! the pool. Each tax is rounded half-even to cents.

mod clawback;
mod explain;
mod ledger;
mod plan;
mod pool;
mod rate;
mod rental;
mod split;
mod statement;
mod validate;
mod withholding;

pub use clawback::{Reversal, ReversalLine};
pub use explain::Explanation;
pub use ledger::{Account, EntryKind, LedgerEntry, Posting};
pub use plan::{
    Accelerator, AdministrationRule, ClawbackMode, ClawbackRule, CommissionPlan, ParticipantLimit,
    PoolRule, RoleShare, SplitRule, Tier, TierMode, TopShare,
};
pub use rate::PlanRate;
pub use rental::{AdministrationStatement, RentReceipt};
pub use statement::{CommissionEngine, CommissionStatement, StatementContext, StatementLine};
pub use withholding::{TaxBracket, Withholding, WithholdingRule, WithholdingTable};

#[cfg(test)]
mod tests;
