// pricing.json through the Node API (the Rust runner: tests/vectors_pricing.rs).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as crm from 'realestate-crm'
import { load, Report, decCmp, decSum, show } from './helpers.mjs'

const isDecimalText = (s) => typeof s === 'string' && /^-?(\d+\.?\d*|\.\d+)$/.test(s) && /\d/.test(s)

function actualDecimal(got) {
  if (isDecimalText(got)) return got
  if (typeof got === 'number' && Number.isSafeInteger(got)) return String(got)
  if (got !== null && typeof got === 'object' && 'amount' in got) return actualDecimal(got.amount)
  return null
}

const abs = (s) => (s.startsWith('-') ? s.slice(1) : s)
const neg = (s) => (s.startsWith('-') ? s.slice(1) : `-${s}`)

function compare(path, top, want, got, tol, diffs) {
  if (isDecimalText(want)) {
    const g = actualDecimal(got)
    if (g === null) diffs.push(`${path}: expected ${want}, got ${show(got)}`)
    else if (top in tol) {
      if (decCmp(abs(decSum([want, neg(g)])), tol[top]) > 0) diffs.push(`${path}: expected ${want}, got ${g} (tolerance ${tol[top]})`)
    } else if (decCmp(want, g) !== 0) diffs.push(`${path}: expected ${want}, got ${g}`)
  } else if (want !== null && typeof want === 'object' && !Array.isArray(want)) {
    if (got === null || typeof got !== 'object') return diffs.push(`${path}: expected an object, got ${show(got)}`)
    for (const [k, w] of Object.entries(want)) {
      if (!(k in got)) diffs.push(`${path}.${k}: missing`)
      else compare(`${path}.${k}`, top, w, got[k], tol, diffs)
    }
  } else if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) return diffs.push(`${path}: expected ${show(want)}, got ${show(got)}`)
    want.forEach((w, i) => compare(`${path}[${i}]`, top, w, got[i], tol, diffs))
  } else if (show(want) !== show(got)) {
    diffs.push(`${path}: expected ${show(want)}, got ${show(got)}`)
  }
}

const CALLS = {
  financing: (i) => crm.simulateFinancing(i),
  affordability: (i) => crm.affordability(i),
  rent_adjustment: (i) => crm.adjustRent(i),
  closing_costs: (i) => crm.closingCosts(i),
  ratio_study: (i) => crm.ratioStudy(i.pairs),
  price_per_m2: (i) => crm.pricePerM2(i.comparables),
}

test('pricing.json: financing, affordability, rent adjustment, closing costs, valuation statistics', () => {
  const doc = load('pricing.json')
  const cases = doc.cases
  assert.ok(cases.length >= 100)
  const r = new Report()
  const per = {}
  for (const c of cases) {
    const cid = r.id(c)
    const calc = c.calculator
    per[calc] = (per[calc] ?? 0) + 1
    const expect = c.expect
    const tol = c.tolerance ?? {}
    let result
    try {
      result = CALLS[calc](c.input)
    } catch (e) {
      if (!(e instanceof crm.CrmError)) throw e
      if (!('error' in expect)) {
        r.fail(cid, `expected success, got ${e.code} at ${e.path}: ${e.message}`)
        continue
      }
      const problems = []
      if (e.code !== expect.error) problems.push(`code ${e.code} (expected ${expect.error})`)
      const paths = e.errors.map((f) => f.path)
      if ('path' in expect && !paths.includes(expect.path)) problems.push(`paths ${show(paths)} (expected ${expect.path})`)
      if ('missing_months' in expect) {
        const text = (e.message + e.errors.map((f) => f.message).join('')).replace(/\s/g, '')
        if (!text.includes(expect.missing_months.join(','))) problems.push(`message ${e.message} does not list ${expect.missing_months}`)
      }
      if (problems.length) r.fail(cid, problems.join('; '))
      continue
    }
    if ('error' in expect) {
      r.fail(cid, `expected error ${expect.error}, got success`)
      continue
    }
    const diffs = []
    for (const [key, want] of Object.entries(expect)) {
      if (key === 'line_count') {
        if (result.lines.length !== want) diffs.push(`line_count ${result.lines.length}`)
      } else if (key === 'lines') {
        const byNumber = new Map(result.lines.map((l) => [l.number, l]))
        for (const w of want) {
          const line = byNumber.get(w.number)
          if (!line) {
            diffs.push(`no line ${w.number}`)
            continue
          }
          for (const [k, v] of Object.entries(w)) compare(`lines[${w.number}].${k}`, 'lines', v, line[k], tol, diffs)
        }
      } else {
        compare(key, key, want, result[key], tol, diffs)
      }
    }
    if (diffs.length) r.fail(cid, diffs.join('; '))
  }
  for (const [calc, least] of Object.entries({ financing: 40, affordability: 15, rent_adjustment: 25, closing_costs: 15, ratio_study: 8, price_per_m2: 8 })) {
    assert.ok((per[calc] ?? 0) >= least, calc)
  }
  r.finish('pricing', cases.length)
})

test('a JS number where a calculator keeps a decimal is refused with its path', () => {
  const terms = { system: 'price', principal: '100000.00', rate: { monthly: '0.01' }, term_months: 12, first_due: '2026-02-10' }
  assert.equal(crm.simulateFinancing(terms).lines.length, 12)
  assert.throws(
    () => crm.simulateFinancing({ ...terms, principal: 100000 }),
    (e) => e instanceof crm.ValidationError && e.code === 'validation.money.format' && e.path === 'principal',
  )
  assert.throws(
    () => crm.simulateFinancing({ ...terms, rate: { monthly: 0.01 } }),
    (e) => e instanceof crm.ValidationError && e.errors.length === 1 && e.errors[0].path.startsWith('rate'),
  )
})
