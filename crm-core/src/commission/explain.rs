//! The explanation trail of a statement: which tier, which share, which cap applied. Each step
//! is data (serde-tagged by `type`), so every host can show it in its own words.
//!
//! Computations write their steps to a [`Trail`], which keeps them only when explanations are
//! asked for: without them no step is built and no trail is allocated.

use crate::domain::ParticipantRole;
use crate::money::Money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One step of how an amount was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Explanation {
    /// The pool is a percentage of the base.
    PoolPercentage {
        /// The rate.
        rate: Decimal,
        /// The deal value.
        base: Money,
    },
    /// The pool is a fixed fee.
    PoolFixed {
        /// The fee.
        amount: Money,
    },
    /// A flat tier: the bracket of the whole value gives the rate.
    PoolFlatTier {
        /// The tier's index in the plan.
        tier: usize,
        /// Its lower bound.
        from: Decimal,
        /// Its upper bound (`None`: open-ended).
        to: Option<Decimal>,
        /// Its rate.
        rate: Decimal,
    },
    /// A marginal tier: its rate on the slice of the value inside it (unrounded).
    PoolMarginalSlice {
        /// The tier's index in the plan.
        tier: usize,
        /// The slice of the value in the tier.
        slice: Decimal,
        /// Its rate.
        rate: Decimal,
        /// slice · rate, exact.
        amount: Decimal,
    },
    /// A lease's placement fee from the first rent.
    PoolFirstRent {
        /// The monthly rent.
        rent: Money,
        /// The share of it.
        share: Decimal,
    },
    /// The exact pool and its rounding to cents (half-even).
    PoolRounded {
        /// Before rounding.
        exact: Decimal,
        /// After.
        rounded: Money,
    },
    /// A share taken off the top of the pool.
    TopShare {
        /// Its index in `split.first`.
        index: usize,
        /// The percentage of the pool, when it is one.
        percent_of_pool: Option<Decimal>,
        /// The amount taken for the role (before dividing among its holders).
        amount: Money,
        /// How many participants hold the role.
        holders: usize,
    },
    /// A share off the top whose role nobody holds in this deal stays in the remainder.
    TopShareSkipped {
        /// Its index in `split.first`.
        index: usize,
        /// The role.
        role: ParticipantRole,
    },
    /// What is left after the shares off the top, to split by role.
    Remainder {
        /// The amount.
        amount: Money,
    },
    /// The participant's role's share of the remainder, divided among its holders.
    RoleShare {
        /// The role's share of the remainder.
        share: Decimal,
        /// How many participants hold the role.
        holders: usize,
    },
    /// The plan is silent on the split: equal shares (Civil Code art. 728).
    EqualShare {
        /// How many share the remainder.
        participants: usize,
    },
    /// A role with no participant passed its share to this participant's role.
    VacantShareReceived {
        /// The vacant role.
        from_role: ParticipantRole,
        /// Its share of the remainder.
        share: Decimal,
    },
    /// An accelerator raised the role's share for this participant.
    Accelerated {
        /// The threshold reached.
        from_volume: Decimal,
        /// The period's volume including this deal.
        volume: Decimal,
        /// The share that applied.
        share: Decimal,
    },
    /// The house role funded accelerators of others.
    AcceleratorFunded {
        /// The share of the remainder given up.
        share: Decimal,
    },
    /// The allocated amount of the remainder (largest remainder to the cent).
    Allocated {
        /// The amount.
        amount: Money,
    },
    /// The gross was cut to the role's cap; the excess went to the house role.
    Capped {
        /// The cap.
        max: Money,
        /// How much was cut.
        excess: Money,
    },
    /// The gross was raised to the role's minimum, funded by the house role.
    RaisedToMinimum {
        /// The minimum.
        min: Money,
        /// How much was added.
        top_up: Money,
    },
    /// The house line received cap excess (positive) or paid minimum top-ups (negative).
    LimitsSettled {
        /// Net change to the house line.
        amount: Money,
    },
}

/// The steps of one computation, kept only when explanations are asked for. A step is given
/// as a closure, so a trail that is off never builds it (nor allocates for it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Trail {
    steps: Vec<Explanation>,
    keep: bool,
}

impl Trail {
    /// An empty trail that keeps its steps when `keep` is true and ignores them otherwise.
    pub(crate) const fn new(keep: bool) -> Self {
        Self {
            steps: Vec::new(),
            keep,
        }
    }

    /// Records the step `step` builds, when the trail is kept.
    pub(crate) fn push(&mut self, step: impl FnOnce() -> Explanation) {
        if self.keep {
            self.steps.push(step());
        }
    }

    /// Appends the steps of `other`.
    pub(crate) fn append(&mut self, other: Trail) {
        if self.steps.is_empty() {
            self.steps = other.steps;
        } else {
            self.steps.extend(other.steps);
        }
    }

    /// The steps recorded (none when the trail was not kept).
    pub(crate) fn into_steps(self) -> Vec<Explanation> {
        self.steps
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Money;
    use rust_decimal_macros::dec;

    #[test]
    fn a_trail_that_is_off_builds_nothing() {
        let mut off = Trail::new(false);
        off.push(|| unreachable!("a step of a trail that is off is never built"));
        assert!(off.into_steps().is_empty());

        let mut on = Trail::new(true);
        on.push(|| Explanation::Remainder {
            amount: Money::brl(dec!(10.00)),
        });
        let mut more = Trail::new(true);
        more.push(|| Explanation::EqualShare { participants: 2 });
        on.append(more);
        assert_eq!(
            on.into_steps(),
            [
                Explanation::Remainder {
                    amount: Money::brl(dec!(10.00))
                },
                Explanation::EqualShare { participants: 2 }
            ]
        );
    }
}
