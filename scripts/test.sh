#!/usr/bin/env bash
# The whole test suite: every language's tests run from here (Rust, Python and Node today; the
# mobile bindings add their suites as they land). `.ci/run` calls this after fmt and clippy.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== shared vectors are what the independent generator produces"
python3 tests/vectors/tools/make_vectors.py --check
python3 tests/vectors/tools/make_pricing_vectors.py --check
python3 tests/vectors/tools/make_commission_vectors.py --check
python3 tests/vectors/tools/make_scoring_vectors.py --check
python3 tests/vectors/tools/make_dedupe_vectors.py --check
python3 tests/vectors/tools/make_routing_vectors.py --check
python3 tests/vectors/tools/make_decision_vectors.py --check

# Storage suites talk to real servers: PostgreSQL at $DATABASE_URL and Redis at $REDIS_URL
# (defaults 127.0.0.1:5432 db `test`, 127.0.0.1:6379). Each run works in its own uniquely named
# schema / key prefix and drops it afterwards. A suite whose server is down is skipped with a
# loud SKIPPED line, or fails the run when CRM_REQUIRE_SERVICES=1 (as .ci/run sets).
echo "== Rust: unit, integration, vector, storage (memory, SQLite, PostgreSQL, Redis) and doc tests"
cargo test --locked --all-features

echo "== Rust: benches and examples compile"
cargo build --locked --all-features --benches --examples

echo "== Python binding: build into bindings/python/.venv, pytest (vectors + API), mypy --strict"
bash bindings/python/run-tests.sh

echo "== Node binding: npm ci, napi build (release), index.d.ts unchanged, tsc --noEmit, node --test (vectors + API + store), the Node quickstart, npm pack install"
bash bindings/node/run-tests.sh

echo "== quickstart runs (SQLite file, the default)"
env -u DATABASE_URL CRM_SQLITE_PATH="$(mktemp -d)/quickstart.db" \
  cargo run --locked --quiet --all-features --example quickstart > /dev/null

pg_url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
if python3 - "$pg_url" <<'PY' 2>/dev/null
import socket, sys, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
socket.create_connection((u.hostname or "127.0.0.1", u.port or 5432), 1).close()
PY
then
  echo "== quickstart runs (PostgreSQL at $pg_url, in its own schema, dropped after)"
  schema="crm_quickstart_$$_$(date +%s)"
  trap 'psql -q "$pg_url" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || echo "note: could not drop schema $schema"' EXIT
  DATABASE_URL="$pg_url" CRM_PG_SCHEMA="$schema" \
    cargo run --locked --quiet --all-features --example quickstart > /dev/null
else
  if [ "${CRM_REQUIRE_SERVICES:-0}" = "1" ]; then
    echo "PostgreSQL at $pg_url is unreachable and CRM_REQUIRE_SERVICES=1"
    exit 1
  fi
  echo "*** SKIPPED: quickstart on PostgreSQL — $pg_url is unreachable ***"
fi
