//! The Lua scripts the cache runs on the Redis server. Each is one atomic step, so a reader
//! never sees an epoch from one moment and an entry from another.
//!
//! Epoch and generation counters that are missing (never set, or evicted under an
//! `allkeys-*` eviction policy) are created from the server clock in microseconds rather than
//! from 0, so a counter that disappears and comes back never repeats a value that names live
//! entries.

use super::keys::CacheKey;
use redis::{Cmd, Pipeline};
use std::time::Duration;

/// Shared helpers: `cur(k)` reads a counter (creating it from the clock when missing), `bump(k)`
/// increments one.
const PRELUDE: &str = r"
if redis.replicate_commands then redis.replicate_commands() end
local function cur(k)
  local v = redis.call('GET', k)
  if not v then
    local t = redis.call('TIME')
    v = t[1] .. string.format('%06d', tonumber(t[2]))
    redis.call('SET', k, v)
  end
  return v
end
local function bump(k)
  cur(k)
  redis.call('INCR', k)
end
";

/// KEYS: global epoch, tenant epoch, generation. ARGV: base, `l` for a list.
/// Returns `{E, T, G, value or nil}`.
const READ: &str = r"
local g, t, n = cur(KEYS[1]), cur(KEYS[2]), cur(KEYS[3])
local key = ARGV[1] .. ':' .. g .. '.' .. t
if ARGV[2] == 'l' then key = key .. '.' .. n end
return {g, t, n, redis.call('GET', key)}
";

/// KEYS: as [`READ`]. ARGV: base, `l` for a list, E, T, G seen by the read, value, TTL in ms.
/// Stores the value only if no epoch or generation moved since the read (so a value read from
/// the primary before a write cannot land in the cache after that write's invalidation).
/// Returns 1 when stored.
const FILL: &str = r"
if redis.call('GET', KEYS[1]) ~= ARGV[3] or redis.call('GET', KEYS[2]) ~= ARGV[4]
   or redis.call('GET', KEYS[3]) ~= ARGV[5] then
  return 0
end
local key = ARGV[1] .. ':' .. ARGV[3] .. '.' .. ARGV[4]
if ARGV[2] == 'l' then key = key .. '.' .. ARGV[5] end
redis.call('SET', key, ARGV[6], 'PX', ARGV[7])
return 1
";

/// KEYS: the global epoch. ARGV: `1` to bump the global epoch; the number N of counters to bump
/// (tenant epochs and generations); those N key names; then pairs (tenant epoch key, record
/// base) of records to delete. Deletes come first, under the epochs current before the bumps,
/// so a deleted entry is really gone rather than merely abandoned.
const INVALIDATE: &str = r"
local n = tonumber(ARGV[2])
local g = cur(KEYS[1])
local i = 3 + n
while i < #ARGV do
  redis.call('DEL', ARGV[i + 1] .. ':' .. g .. '.' .. cur(ARGV[i]))
  i = i + 2
end
for j = 3, 2 + n do bump(ARGV[j]) end
if ARGV[1] == '1' then bump(KEYS[1]) end
return 1
";

/// What a read saw: the epochs and the generation, to guard the fill that may follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Seen {
    pub epoch: String,
    pub tenant_epoch: String,
    pub generation: String,
}

impl Seen {
    /// Whether the counters read now (global epoch, tenant epoch, generation) are still these.
    pub(crate) fn still(&self, now: &[Option<String>]) -> bool {
        matches!(now, [Some(e), Some(t), Some(g)]
            if *e == self.epoch && *t == self.tenant_epoch && *g == self.generation)
    }
}

fn eval(body: &str, keys: &[&str]) -> Cmd {
    let mut cmd = redis::cmd("EVAL");
    cmd.arg(format!("{PRELUDE}{body}"))
        .arg(keys.len())
        .arg(keys);
    cmd
}

fn list_flag(key: &CacheKey) -> &'static str {
    if key.list { "l" } else { "r" }
}

/// The entry's full name under the epochs (and generation) seen: what [`READ`] and [`FILL`]
/// compose on the server.
pub(crate) fn entry_name(key: &CacheKey, seen: &Seen) -> String {
    let mut name = format!("{}:{}.{}", key.base, seen.epoch, seen.tenant_epoch);
    if key.list {
        name.push('.');
        name.push_str(&seen.generation);
    }
    name
}

/// The fast read when the counters' values are known in this process: one round trip, no
/// script — the counters (to check they have not moved) and the entry under the known values.
/// Its reply decodes as [`QuickReply`].
pub(crate) fn quick_read(global_epoch: &str, key: &CacheKey, seen: &Seen) -> Pipeline {
    let mut pipe = redis::pipe();
    pipe.cmd("MGET")
        .arg(global_epoch)
        .arg(&key.tenant_epoch)
        .arg(&key.generation);
    pipe.cmd("GET").arg(entry_name(key, seen));
    pipe
}

/// The reply of [`quick_read`]: the three counters, and the entry's bytes if present.
pub(crate) type QuickReply = (Vec<Option<String>>, Option<Vec<u8>>);

/// The read of one entry (see [`READ`]); its reply decodes as [`ReadReply`].
pub(crate) fn read(global_epoch: &str, key: &CacheKey) -> Cmd {
    let mut cmd = eval(READ, &[global_epoch, &key.tenant_epoch, &key.generation]);
    cmd.arg(&key.base).arg(list_flag(key));
    cmd
}

/// The reply of [`read`]: epochs, generation and the entry's bytes if present.
pub(crate) type ReadReply = (String, String, String, Option<Vec<u8>>);

/// The guarded fill of one entry (see [`FILL`]); replies 1 when stored, 0 when skipped.
pub(crate) fn fill(
    global_epoch: &str,
    key: &CacheKey,
    seen: &Seen,
    value: &[u8],
    ttl: Duration,
) -> Cmd {
    let mut cmd = eval(FILL, &[global_epoch, &key.tenant_epoch, &key.generation]);
    cmd.arg(&key.base)
        .arg(list_flag(key))
        .arg(&seen.epoch)
        .arg(&seen.tenant_epoch)
        .arg(&seen.generation)
        .arg(value)
        .arg(u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1));
    cmd
}

/// What one invalidation does on the server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Plan {
    /// Bump the global epoch (abandons every entry under the prefix).
    pub global: bool,
    /// Counters to bump: tenant epochs and generations.
    pub bumps: Vec<String>,
    /// Records to delete: (tenant epoch key, record base).
    pub deletes: Vec<(String, String)>,
}

/// The invalidation (see [`INVALIDATE`]).
pub(crate) fn invalidate(global_epoch: &str, plan: &Plan) -> Cmd {
    let mut cmd = eval(INVALIDATE, &[global_epoch]);
    cmd.arg(if plan.global { "1" } else { "0" })
        .arg(plan.bumps.len())
        .arg(&plan.bumps);
    for (tenant_epoch, base) in &plan.deletes {
        cmd.arg(tenant_epoch).arg(base);
    }
    cmd
}
