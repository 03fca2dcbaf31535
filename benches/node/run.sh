#!/usr/bin/env bash
# The Node comparison (not run by CI): the peers from npm (`npm ci`), the addon built in release
# mode, then compare.mjs. CRM_BENCH_SCALE=0.1 for a quick look.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../../bindings/node"
npm ci --no-audit --no-fund --loglevel=error
npx napi build --platform --release
cd "$here"
npm ci --no-audit --no-fund --loglevel=error
node compare.mjs
