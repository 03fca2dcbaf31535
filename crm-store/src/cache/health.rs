//! What this process knows about Redis's view being behind the primary: invalidations that did
//! not reach Redis, and whether an outage was seen since the last successful recovery.
//!
//! While either is set the cache is *degraded*: reads go straight to the primary and writes
//! only add to the pending set. A recovery replays everything in one atomic script and only
//! then (if no new fault arrived meanwhile) lets cached reads resume.

use super::keys::Keys;
use super::scripts::Plan;
use crate::records::RecordKind;
use crm_core::domain::TenantId;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// Pending record deletions and generation bumps beyond which the entries are collapsed into
/// whole-tenant flushes.
pub(crate) const MAX_PENDING_KEYS: usize = 10_000;
/// Pending tenant flushes beyond which everything under the prefix is flushed instead.
pub(crate) const MAX_PENDING_TENANTS: usize = 1_000;

/// One write's invalidation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Invalidation {
    /// The tenant written to.
    pub tenant: Option<TenantId>,
    /// Kinds whose lists changed.
    pub kinds: Vec<RecordKind>,
    /// Records that changed.
    pub records: Vec<(RecordKind, Uuid)>,
    /// Drop every entry of the tenant.
    pub whole_tenant: bool,
}

impl Invalidation {
    /// A write to one record: its entry and its kind's lists.
    pub(crate) fn record(tenant: TenantId, kind: RecordKind, id: Uuid) -> Self {
        Invalidation {
            tenant: Some(tenant),
            kinds: vec![kind],
            records: vec![(kind, id)],
            whole_tenant: false,
        }
    }

    /// A write that changes lists of a kind but no cached record (new records, activities).
    pub(crate) fn lists(tenant: TenantId, kind: RecordKind) -> Self {
        Invalidation {
            tenant: Some(tenant),
            kinds: vec![kind],
            records: Vec::new(),
            whole_tenant: false,
        }
    }

    /// A write whose reach is wide (LGPD erasure): the record's entry is deleted and every
    /// other entry of the tenant abandoned.
    pub(crate) fn tenant(tenant: TenantId, kind: RecordKind, id: Uuid) -> Self {
        Invalidation {
            tenant: Some(tenant),
            kinds: Vec::new(),
            records: vec![(kind, id)],
            whole_tenant: true,
        }
    }

    /// The script plan for this invalidation alone.
    pub(crate) fn plan(&self, keys: &Keys) -> Plan {
        let mut pending = Pending::default();
        pending.add(self);
        pending.plan(keys, false)
    }
}

/// Invalidations that did not reach Redis, bounded in size. Each entry carries the sequence
/// number of the last write that added it, so a recovery removes only what it replayed: an
/// entry added again while the replay was in flight stays pending.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Pending {
    records: BTreeMap<(TenantId, RecordKind, Uuid), u64>,
    kinds: BTreeMap<(TenantId, RecordKind), u64>,
    tenants: HashMap<TenantId, u64>,
    everything: Option<u64>,
    seq: u64,
}

impl Pending {
    /// Whether nothing is pending.
    pub(crate) fn is_empty(&self) -> bool {
        self.everything.is_none()
            && self.tenants.is_empty()
            && self.records.is_empty()
            && self.kinds.is_empty()
    }

    /// Remembers an invalidation; past the bounds, remembers a flush of the tenants concerned,
    /// then of everything.
    pub(crate) fn add(&mut self, inv: &Invalidation) {
        self.seq += 1;
        let seq = self.seq;
        if self.everything.is_some() {
            self.everything = Some(seq);
            return;
        }
        let Some(tenant) = inv.tenant else {
            self.flush_everything();
            return;
        };
        if let Some(flush) = self.tenants.get_mut(&tenant) {
            *flush = seq; // the tenant's flush covers it
            return;
        }
        for &(kind, id) in &inv.records {
            self.records.insert((tenant, kind, id), seq);
        }
        for &kind in &inv.kinds {
            self.kinds.insert((tenant, kind), seq);
        }
        if inv.whole_tenant {
            // The record deletions stay: an erased lead's data should not linger in Redis.
            self.tenants.insert(tenant, seq);
            self.kinds.retain(|(t, _), _| *t != tenant);
        }
        if self.records.len() + self.kinds.len() > MAX_PENDING_KEYS {
            let tenants: Vec<TenantId> = self
                .records
                .keys()
                .map(|r| r.0)
                .chain(self.kinds.keys().map(|k| k.0))
                .collect();
            self.tenants.extend(tenants.into_iter().map(|t| (t, seq)));
            self.records.clear();
            self.kinds.clear();
        }
        if self.tenants.len() > MAX_PENDING_TENANTS {
            self.flush_everything();
        }
    }

    fn flush_everything(&mut self) {
        *self = Pending {
            everything: Some(self.seq),
            seq: self.seq,
            ..Pending::default()
        };
    }

    /// Forgets what `replayed` (a copy taken before a successful replay) held, unless it was
    /// added again since.
    pub(crate) fn settle(&mut self, replayed: &Pending) {
        fn unchanged(now: &u64, then: Option<&u64>) -> bool {
            then == Some(now)
        }
        self.records
            .retain(|k, seq| !unchanged(seq, replayed.records.get(k)));
        self.kinds
            .retain(|k, seq| !unchanged(seq, replayed.kinds.get(k)));
        self.tenants
            .retain(|k, seq| !unchanged(seq, replayed.tenants.get(k)));
        if self.everything.is_some() && self.everything == replayed.everything {
            self.everything = None;
        }
    }

    /// The script plan replaying these invalidations; `outage` adds the global epoch bump.
    pub(crate) fn plan(&self, keys: &Keys, outage: bool) -> Plan {
        let mut plan = Plan {
            global: outage || self.everything.is_some(),
            ..Plan::default()
        };
        for &(tenant, kind, id) in self.records.keys() {
            // Deleted even when a wider flush follows: an erased lead's data should not linger
            // in Redis, even unreachable.
            plan.deletes.push((
                keys.tenant_epoch(tenant),
                keys.record_base(tenant, kind, id),
            ));
        }
        if plan.global {
            return plan;
        }
        for &tenant in self.tenants.keys() {
            plan.bumps.push(keys.tenant_epoch(tenant));
        }
        for &(tenant, kind) in self.kinds.keys() {
            plan.bumps.push(keys.generation(tenant, kind));
        }
        plan
    }

    /// How many entries are remembered (for logs).
    pub(crate) fn len(&self) -> usize {
        if self.everything.is_some() {
            1
        } else {
            self.records.len() + self.kinds.len() + self.tenants.len()
        }
    }
}

/// The degraded/healthy state, behind the engine's mutex.
#[derive(Debug, Default)]
pub(crate) struct State {
    /// An outage was seen: the recovery bumps the global epoch.
    pub outage: bool,
    /// Invalidations to replay.
    pub pending: Pending,
    /// Counts faults (failed Redis calls), so a recovery can tell whether one arrived while
    /// it ran.
    pub faults: u64,
    /// Redis just answered a recovery and only invalidations that arrived meanwhile remain:
    /// writes send theirs to Redis again instead of adding to the pending set, so the set
    /// drains even under a steady stream of writes.
    pub draining: bool,
    /// The id of the running recovery task, if any.
    pub recovering: Option<u64>,
    /// Ids for recovery tasks.
    pub next_task: u64,
}

impl State {
    /// Whether cached reads may be served.
    pub(crate) fn healthy(&self) -> bool {
        !self.outage && self.pending.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant(n: u128) -> TenantId {
        TenantId::from_uuid(Uuid::from_u128(n))
    }

    #[test]
    fn plans_replay_what_is_pending() {
        let keys = Keys::new("p");
        let mut p = Pending::default();
        assert!(p.is_empty());
        p.add(&Invalidation::record(
            tenant(1),
            RecordKind::Lead,
            Uuid::from_u128(9),
        ));
        p.add(&Invalidation::lists(tenant(1), RecordKind::Lead));
        let plan = p.plan(&keys, false);
        assert!(!plan.global);
        assert_eq!(
            plan.bumps,
            vec![keys.generation(tenant(1), RecordKind::Lead)]
        );
        assert_eq!(plan.deletes.len(), 1);
        assert!(
            p.plan(&keys, true).global,
            "an outage bumps the global epoch"
        );
    }

    #[test]
    fn settling_keeps_what_was_added_again_during_the_replay() {
        let (t, x, y) = (tenant(1), Uuid::from_u128(1), Uuid::from_u128(2));
        let mut p = Pending::default();
        p.add(&Invalidation::record(t, RecordKind::Lead, x));
        let replayed = p.clone();
        p.add(&Invalidation::record(t, RecordKind::Deal, y)); // new while in flight
        p.add(&Invalidation::record(t, RecordKind::Lead, x)); // x written again while in flight
        p.settle(&replayed);
        assert_eq!(p.len(), 4, "both records and both kinds stay: {p:?}");
        let replayed = p.clone();
        p.settle(&replayed);
        assert!(p.is_empty());
    }

    #[test]
    fn overflow_collapses_to_tenants_then_everything() {
        let keys = Keys::new("p");
        let mut p = Pending::default();
        for i in 0..=MAX_PENDING_KEYS as u128 {
            p.add(&Invalidation::record(
                tenant(1 + i % 3),
                RecordKind::Deal,
                Uuid::from_u128(i),
            ));
        }
        let plan = p.plan(&keys, false);
        assert!(!plan.global);
        assert_eq!(plan.bumps.len(), 3, "three tenants flushed: {plan:?}");
        assert!(plan.deletes.is_empty());
        for i in 0..=MAX_PENDING_TENANTS as u128 {
            p.add(&Invalidation::tenant(
                tenant(100 + i),
                RecordKind::Lead,
                Uuid::from_u128(i),
            ));
        }
        assert!(p.plan(&keys, false).global);
        assert_eq!(p.len(), 1);
    }
}
