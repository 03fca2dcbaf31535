//! The Redis key layout. Everything lives under `{prefix}:` and, per tenant, under
//! `{prefix}:{tenant}:`, so `SCAN MATCH {prefix}:*` finds all of a deployment's keys.
//!
//! | key | holds |
//! |-----|-------|
//! | `{prefix}:epoch` | the global epoch (bumped after an outage: abandons every entry) |
//! | `{prefix}:{tenant}:epoch` | the tenant's epoch (bumped to drop all of a tenant's entries) |
//! | `{prefix}:{tenant}:gen:{kind}` | the generation of a kind's lists (bumped by every write) |
//! | `{prefix}:{tenant}:{kind}:{id}:{E}.{T}` | a record's JSON (`E`, `T`: the two epochs) |
//! | `{prefix}:{tenant}:{kind}:{op}:{query}:{E}.{T}.{G}` | a list's JSON (`G`: the generation) |
//! | `{prefix}:{tenant}:routing:…` | routing cursors, counters and state ([`super::RedisRoutingState`]) |
//!
//! The epoch and generation suffixes are appended by the Lua scripts on the server, from the
//! values stored there at that moment, so every process reading or writing an entry agrees on
//! its name without asking first.

use crate::records::RecordKind;
use crm_core::domain::TenantId;
use uuid::Uuid;

/// An entry of the cache, before the server appends the epochs (and generation) to its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CacheKey {
    /// The tenant's epoch key.
    pub tenant_epoch: String,
    /// The generation key of the entry's kind.
    pub generation: String,
    /// The name without its suffix.
    pub base: String,
    /// Whether the generation is part of the name (lists), or only guards the fill (records).
    pub list: bool,
}

/// Key names under one prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Keys {
    prefix: String,
}

impl Keys {
    /// Keys under `prefix`.
    pub(crate) fn new(prefix: &str) -> Keys {
        Keys {
            prefix: prefix.to_owned(),
        }
    }

    /// The global epoch.
    pub(crate) fn global_epoch(&self) -> String {
        format!("{}:epoch", self.prefix)
    }

    /// A tenant's epoch.
    pub(crate) fn tenant_epoch(&self, tenant: TenantId) -> String {
        format!("{}:{tenant}:epoch", self.prefix)
    }

    /// The generation of a kind's lists in a tenant.
    pub(crate) fn generation(&self, tenant: TenantId, kind: RecordKind) -> String {
        format!("{}:{tenant}:gen:{kind}", self.prefix)
    }

    /// A record by id, without its epoch suffix.
    pub(crate) fn record_base(&self, tenant: TenantId, kind: RecordKind, id: Uuid) -> String {
        format!("{}:{tenant}:{kind}:{}", self.prefix, id.hyphenated())
    }

    /// A record's cache entry.
    pub(crate) fn record(&self, tenant: TenantId, kind: RecordKind, id: Uuid) -> CacheKey {
        CacheKey {
            tenant_epoch: self.tenant_epoch(tenant),
            generation: self.generation(tenant, kind),
            base: self.record_base(tenant, kind, id),
            list: false,
        }
    }

    /// A list's cache entry: `op` names the call (`find`, `all`, `portal`, `of_lead`) and
    /// `query` is its arguments as JSON (a JSON object, so it ends with `}` and the suffix
    /// after it cannot be confused with part of it).
    pub(crate) fn list(
        &self,
        tenant: TenantId,
        kind: RecordKind,
        op: &str,
        query: &str,
    ) -> CacheKey {
        CacheKey {
            tenant_epoch: self.tenant_epoch(tenant),
            generation: self.generation(tenant, kind),
            base: format!("{}:{tenant}:{kind}:{op}:{query}", self.prefix),
            list: true,
        }
    }

    /// A routing cursor.
    pub(crate) fn cursor(&self, tenant: TenantId, key: &str) -> String {
        format!("{}:{tenant}:routing:cursor:{key}", self.prefix)
    }

    /// A routing counter.
    pub(crate) fn counter(&self, tenant: TenantId, key: &str) -> String {
        format!("{}:{tenant}:routing:counter:{key}", self.prefix)
    }

    /// The routing state document (a hash with `doc` and `version`).
    pub(crate) fn routing_state(&self, tenant: TenantId) -> String {
        format!("{}:{tenant}:routing:state", self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout() {
        let keys = Keys::new("crm");
        let t = TenantId::from_uuid(Uuid::from_u128(1));
        let id = Uuid::from_u128(2);
        assert_eq!(keys.global_epoch(), "crm:epoch");
        assert_eq!(
            keys.generation(t, RecordKind::Lead),
            format!("crm:{t}:gen:lead")
        );
        let r = keys.record(t, RecordKind::Deal, id);
        assert_eq!(r.base, format!("crm:{t}:deal:{id}"));
        assert!(!r.list);
        let l = keys.list(t, RecordKind::Lead, "find", "{}");
        assert_eq!(l.base, format!("crm:{t}:lead:find:{{}}"));
        assert_eq!(l.generation, format!("crm:{t}:gen:lead"));
        assert_eq!(keys.cursor(t, "rr"), format!("crm:{t}:routing:cursor:rr"));
    }
}
