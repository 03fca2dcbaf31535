#!/usr/bin/env bash
# The Node binding's test run: the tools from npm (`npm ci`: @napi-rs/cli, TypeScript), the
# addon built in release mode with `napi build --platform` (cargo's target directory is
# $CARGO_TARGET_DIR when set, the workspace's target/ otherwise), then:
#   * the committed index.d.ts must be what the build generates;
#   * tsc --noEmit (strict) on a typed usage of the package, ESM and CommonJS entries;
#   * node --test: every shared vector file through the Node API, the API surface, ESM + CJS,
#     the store (memory, SQLite, PostgreSQL, Redis; test/store.test.mjs);
#   * examples/node/quickstart.mjs on an SQLite file;
#   * npm pack, the tarball installed into a temporary project, loaded with require and import.
# Needs Node ≥ 18, npm and cargo.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== npm ci (@napi-rs/cli, typescript)"
npm ci --no-audit --no-fund --loglevel=error

echo "== building the addon (napi build --platform --release)"
cp index.d.ts "$work/index.d.ts.committed"
npx napi build --platform --release

echo "== index.d.ts is what the build generates"
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1 \
  && git -C "$root" ls-files --error-unmatch bindings/node/index.d.ts >/dev/null 2>&1; then
  git -C "$root" diff --exit-code -- bindings/node/index.d.ts \
    || { echo "index.d.ts changed on rebuild: commit the regenerated file"; exit 1; }
else
  cmp "$work/index.d.ts.committed" index.d.ts \
    || { echo "index.d.ts changed on rebuild"; exit 1; }
fi

echo "== tsc --noEmit (strict): test/types-check.ts, test/types-check-cjs.cts, test/types-store.ts"
npx tsc -p tsconfig.json

echo "== node --test: shared vectors, API surface, ESM and CommonJS loading, the store (memory, SQLite, PostgreSQL, Redis)"
node --test test/*.test.mjs test/*.test.cjs

echo "== the Node quickstart (examples/node/quickstart.mjs) on an SQLite file"
env -u DATABASE_URL CRM_SQLITE_PATH="$work/quickstart.db" node "$root/examples/node/quickstart.mjs" > "$work/quickstart.out"
echo "   $(tail -n 1 "$work/quickstart.out")"

echo "== npm pack, installed into a temporary project, loaded with require and import"
tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
mkdir -p "$work/app"
(
  cd "$work/app"
  npm init -y >/dev/null
  npm install --no-audit --no-fund --loglevel=error "$work/$tarball"
  node -e "
    const crm = require('realestate-crm');
    if (crm.parseCpf('529.982.247-25').bare !== '52998224725') process.exit(1);
    try { crm.parseCpf('1'); process.exit(1) } catch (e) { if (!(e instanceof crm.ValidationError)) process.exit(1) }
  "
  node --input-type=module -e "
    import { parseCpf, CrmError, openStore } from 'realestate-crm';
    if (parseCpf('529.982.247-25').formatted !== '529.982.247-25') process.exit(1);
    const store = await openStore('sqlite::memory:'); await store.ping(); await store.close();
    try { parseCpf('1'); process.exit(1) } catch (e) { if (!(e instanceof CrmError)) process.exit(1) }
  "
)
echo "   $tarball installs and loads (require and import)"
echo "Node binding: all checks passed"
