// commission.json through the Node API (the Rust runner: tests/vectors_commission.rs).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as crm from 'realestate-crm'
import { load, Report, decEq, decSum, decCmp, show } from './helpers.mjs'

const NUMERIC = new Set(['pool', 'gross', 'net', 'amount', 'total_withheld', 'total_net', 'rent_due', 'rent_received', 'fee', 'landlord_net', 'total_gross', 'fraction'])

function moneyText(m, problems) {
  if (m.currency !== 'BRL') problems.push(`${show(m)} is not BRL`)
  if (typeof m.amount !== 'string') problems.push(`${show(m)}: the amount is not a decimal string`)
  return m.amount
}

function lineJson(line, problems) {
  const taxes = decSum(['0', ...(line.withholdings ?? []).map((w) => w.amount.amount)])
  if (!decEq(decSum([line.gross.amount, `-${taxes}`.replace('--', '')]), line.net.amount)) problems.push(`net ${line.net.amount} is not gross less withholdings`)
  return {
    participant: line.participant,
    role: line.role,
    gross: moneyText(line.gross, problems),
    withholdings: (line.withholdings ?? []).map((w) => ({ tax: w.tax, amount: moneyText(w.amount, problems) })),
    net: moneyText(line.net, problems),
    trail_types: (line.trail ?? []).map((t) => t.type),
  }
}

function statementJson(s, problems) {
  if (!decEq(decSum(['0', ...(s.lines ?? []).map((l) => l.gross.amount)]), s.pool.amount)) problems.push("the lines' grosses do not sum to the pool")
  return {
    pool: moneyText(s.pool, problems),
    date: s.date,
    pool_trail_types: (s.pool_trail ?? []).map((t) => t.type),
    lines: (s.lines ?? []).map((l) => lineJson(l, problems)),
    total_withheld: moneyText(s.total_withheld, problems),
    total_net: moneyText(s.total_net, problems),
  }
}

function errorJson(e) {
  if (!(e instanceof crm.CrmError)) throw e
  return { error: e.code, errors: e.errors.map((f) => ({ path: f.path, code: f.code })) }
}

// The exact value of a/b as a decimal comparison: |fraction·d − n| ≤ d·1e-20.
function ratioClose(fraction, ratio) {
  const [n, d] = ratio.split('/')
  const scaled = (s) => {
    const neg = s.startsWith('-')
    const [i, f = ''] = (neg ? s.slice(1) : s).split('.')
    const v = BigInt(i + f.padEnd(40, '0'))
    return neg ? -v : v
  }
  const lhs = scaled(fraction) * BigInt(d)
  const rhs = BigInt(n) * 10n ** 40n
  const diff = lhs > rhs ? lhs - rhs : rhs - lhs
  return diff <= BigInt(d) * 10n ** 20n
}

function compare(want, got, key, path, diffs) {
  if (want !== null && typeof want === 'object' && !Array.isArray(want)) {
    if (got === null || typeof got !== 'object') return diffs.push(`${path}: expected an object, got ${show(got)}`)
    for (const [k, w] of Object.entries(want)) {
      const sub = path ? `${path}.${k}` : k
      if (k === 'trail_has' || k === 'pool_trail_has') {
        const have = new Set(got[k === 'trail_has' ? 'trail_types' : 'pool_trail_types'] ?? [])
        for (const t of w) if (!have.has(t)) diffs.push(`${sub}: no ${t} step in ${show([...have])}`)
      } else if (k === 'fraction_ratio') {
        if (!ratioClose(got.fraction, w)) diffs.push(`${sub}: expected ${w}, got ${got.fraction}`)
      } else if (!(k in got)) {
        diffs.push(`${sub}: expected ${show(w)}, got nothing`)
      } else {
        compare(w, got[k], k, sub, diffs)
      }
    }
  } else if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) return diffs.push(`${path}: expected ${show(want)}, got ${show(got)}`)
    want.forEach((w, i) => compare(w, got[i], key, `${path}[${i}]`, diffs))
  } else if (typeof want === 'string' && NUMERIC.has(key)) {
    if (typeof got !== 'string' || decCmp(want, got) !== 0) diffs.push(`${path}: expected ${want}, got ${show(got)}`)
  } else if (show(want) !== show(got)) {
    diffs.push(`${path}: expected ${show(want)}, got ${show(got)}`)
  }
}

function run(c, op, problems) {
  if (op === 'validate_plan') {
    try {
      new crm.CommissionEngine(c.plan, c.withholding)
      return { errors: [] }
    } catch (e) {
      assert.ok(e instanceof crm.ValidationError, String(e))
      return { errors: e.errors.map((f) => ({ path: f.path, code: f.code })) }
    }
  }
  const engine = new crm.CommissionEngine(c.plan, c.withholding)
  const deal = c.deal
  if (op === 'statement') {
    try {
      return statementJson(engine.statement(deal, c.context), problems)
    } catch (e) {
      return errorJson(e)
    }
  }
  if (op === 'administration') {
    let a
    try {
      a = engine.administration(deal, c.receipt)
    } catch (e) {
      return errorJson(e)
    }
    if (!decEq(decSum([a.rent_received.amount, `-${a.fee.amount}`.replace('--', '')]), a.landlord_net.amount)) problems.push('landlord_net is not received less the fee')
    return {
      days: a.days,
      days_in_month: a.days_in_month,
      rent_due: moneyText(a.rent_due, problems),
      rent_received: moneyText(a.rent_received, problems),
      fee: moneyText(a.fee, problems),
      lines: (a.lines ?? []).map((l) => lineJson(l, problems)),
      total_withheld: moneyText(a.total_withheld, problems),
      landlord_net: moneyText(a.landlord_net, problems),
    }
  }
  if (op === 'clawback') {
    let s
    try {
      s = engine.statement(deal, c.context)
    } catch (e) {
      problems.push('the statement to reverse could not be computed')
      return errorJson(e)
    }
    const stmt = statementJson(s, problems)
    let rev
    try {
      rev = engine.clawback(s, c.cancelled_on, 'paid' in c ? c.paid : null)
    } catch (e) {
      return errorJson(e)
    }
    return {
      statement: stmt,
      reversal: {
        days_elapsed: rev.days_elapsed,
        within_window: rev.within_window,
        fraction: rev.fraction,
        lines: (rev.lines ?? []).map((l) => ({
          participant: l.participant,
          role: l.role,
          gross: moneyText(l.gross, problems),
          withholdings: (l.withholdings ?? []).map((w) => ({ tax: w.tax, amount: moneyText(w.amount, problems) })),
          net: moneyText(l.net, problems),
        })),
        total_gross: moneyText(rev.total_gross, problems),
      },
    }
  }
  throw new Error(`unknown operation ${op}`)
}

test('commission.json: statements, administration, clawbacks and plan validation', () => {
  const doc = load('commission.json')
  const cases = doc.cases
  assert.ok(cases.length >= 150)
  const r = new Report()
  const perOp = {}
  for (const c of cases) {
    const cid = r.id(c)
    const op = c.operation
    perOp[op] = (perOp[op] ?? 0) + 1
    const problems = []
    const actual = run(c, op, problems)
    const diffs = []
    compare(c.expect, actual, '', '', diffs)
    const expectedError = 'error' in c.expect || 'errors' in c.expect
    if (op !== 'validate_plan' && expectedError !== 'error' in actual) diffs.push(`expected ${show(c.expect)}, got ${show(actual)}`)
    if (diffs.length || problems.length) r.fail(cid, `${op}: ${[...diffs, ...problems].join('; ')}`)
  }
  for (const [op, least] of Object.entries({ statement: 60, administration: 15, clawback: 12, validate_plan: 50 })) {
    assert.ok((perOp[op] ?? 0) >= least, op)
  }
  r.finish('commission', cases.length)
})

test('batch statements (sync and on the thread pool) match single ones; failures in place', async () => {
  const doc = load('commission.json')
  const c = doc.cases.find((x) => x.operation === 'statement' && !('error' in x.expect))
  const engine = new crm.CommissionEngine(c.plan, c.withholding)
  const single = engine.statement(c.deal, c.context)
  assert.deepEqual(engine.statements([c.deal, c.deal, c.deal], c.context), [single, single, single])
  assert.deepEqual(await engine.statementsAsync([c.deal, c.deal], c.context), [single, single])
  const lean = engine.statements([c.deal], c.context, { explain: false })[0]
  assert.deepEqual(lean.pool_trail, [])
  assert.equal(lean.total_net.amount, single.total_net.amount)
  const bad = { ...c.deal, value: { amount: 'x' } }
  const mixed = engine.statements([c.deal, bad], c.context, { errors: 'return' })
  assert.deepEqual(mixed[0], single)
  assert.ok(mixed[1] instanceof crm.ValidationError)
  assert.equal(mixed[1].path?.startsWith('[1]'), true, mixed[1].path)
  assert.throws(() => engine.statements([c.deal, bad], c.context), crm.ValidationError)
  await assert.rejects(engine.statementsAsync([bad], c.context), (e) => e instanceof crm.ValidationError && e.code === mixed[1].code)
})
