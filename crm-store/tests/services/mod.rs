//! Where the test servers are, and what to do when one is not there.
//!
//! `DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`) and `REDIS_URL`
//! (default `redis://127.0.0.1:6379`). A suite whose server is unreachable is skipped with a
//! loud message — unless `CRM_REQUIRE_SERVICES=1` (set by `.ci/run`), which fails it instead.
#![allow(dead_code)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The PostgreSQL URL the tests use.
pub fn database_url() -> String {
    std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// The Redis URL the tests use.
pub fn redis_url() -> String {
    std::env::var("REDIS_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "redis://127.0.0.1:6379".to_owned())
}

/// Whether a missing server fails the run (`CRM_REQUIRE_SERVICES=1`).
pub fn services_required() -> bool {
    std::env::var("CRM_REQUIRE_SERVICES").is_ok_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
}

/// Whether `host:port` of a URL accepts a TCP connection within a second.
pub fn reachable(url: &str, default_port: u16) -> bool {
    let rest = url.split("://").nth(1).unwrap_or(url);
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    let hostport = authority.rsplit('@').next().unwrap_or(authority);
    let addr = if hostport.contains(':') {
        hostport.to_owned()
    } else {
        format!("{hostport}:{default_port}")
    };
    use std::net::ToSocketAddrs;
    addr.to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .is_some_and(|a| std::net::TcpStream::connect_timeout(&a, Duration::from_secs(1)).is_ok())
}

/// `true` when the suite should run; prints a loud SKIPPED line (or panics under
/// `CRM_REQUIRE_SERVICES=1`) when the server is down.
pub fn available(what: &str, url: &str, default_port: u16) -> bool {
    if reachable(url, default_port) {
        return true;
    }
    assert!(
        !services_required(),
        "{what} at {url} is unreachable and CRM_REQUIRE_SERVICES=1: failing instead of skipping"
    );
    // Written to the stderr handle itself, not with eprintln!, so the test harness's output
    // capture does not hide it.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "\n*** SKIPPED: {what} suite — {url} is unreachable (set CRM_REQUIRE_SERVICES=1 to fail instead) ***\n"
    );
    false
}

/// A name no other test run uses: `prefix_<pid>_<nanos>_<n>`, lower case, safe as an SQL
/// identifier or a Redis key prefix.
pub fn unique_name(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        nanos,
        N.fetch_add(1, Ordering::Relaxed)
    )
}
