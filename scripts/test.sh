#!/usr/bin/env bash
# The whole test suite: every language's tests run from here (Rust today; the Python, Node
# and mobile bindings add their suites as they land). `.ci/run` calls this after fmt and clippy.
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

echo "== Rust: unit, integration, vector and doc tests (facade + crm-core)"
cargo test --locked

echo "== Rust: benches and examples compile"
cargo build --locked --benches --examples

echo "== quickstart runs"
cargo run --locked --quiet --example quickstart > /dev/null
