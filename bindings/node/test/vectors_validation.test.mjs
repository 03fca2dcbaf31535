// validation.json and money.json through the Node API (the Rust runner: tests/vectors.rs).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as crm from 'realestate-crm'
import { load, Report, decEq, decSum, show } from './helpers.mjs'

function runValidation(kind, value, opts) {
  try {
    switch (kind) {
      case 'cpf': {
        const c = crm.parseCpf(value, { allowRepeated: opts.allow_repeated ?? false })
        return { valid: true, bare: c.bare, formatted: c.formatted }
      }
      case 'cnpj': {
        const n = crm.parseCnpj(value)
        return { valid: true, bare: n.bare, formatted: n.formatted }
      }
      case 'cep': {
        const p = crm.parseCep(value)
        return { valid: true, bare: p.bare, formatted: p.formatted, uf: p.uf ?? null }
      }
      case 'uf': {
        const u = crm.parseUf(value)
        return { valid: true, bare: u.code, name: u.name }
      }
      case 'phone': {
        const ph = crm.parsePhone(value, { repairLegacyMobile: opts.repair_legacy_mobile ?? false })
        return { valid: true, e164: ph.e164, phone_kind: ph.kind, formatted: ph.formatted }
      }
      case 'email': {
        const e = crm.parseEmail(value)
        return { valid: true, normalized: e.normalized, match_key: e.matchKey }
      }
      case 'creci': {
        const r = crm.parseCreci(value)
        return { valid: true, uf: r.uf, number: r.number, creci_kind: r.kind ?? null, formatted: r.formatted }
      }
    }
  } catch (err) {
    assert.ok(err instanceof crm.ValidationError, `${kind} ${value}: ${err}`)
    return { valid: false, code: err.code }
  }
  throw new Error(`unknown kind ${kind}`)
}

test('validation.json: every case through the parse functions, isValid and the batch forms', () => {
  const doc = load('validation.json')
  const cases = doc.cases
  assert.ok(cases.length >= 300)
  const r = new Report()
  const byKind = new Map()
  for (const c of cases) {
    const cid = r.id(c)
    for (const key of Object.keys(c.options)) {
      if (key !== 'allow_repeated' && key !== 'repair_legacy_mobile') r.fail(cid, `unknown option ${key}`)
    }
    const actual = runValidation(c.kind, c.input, c.options)
    const want = c.expect
    const diffs = Object.keys(want).filter((k) => show(actual[k]) !== show(want[k]))
    if (diffs.length) r.fail(cid, `${c.kind} ${show(c.input)}: expected ${show(want)}, got ${show(actual)}`)
    if (Object.keys(c.options).length === 0) {
      if (crm.isValid(c.kind, c.input) !== want.valid) r.fail(cid, 'isValid disagrees with parse')
      if (!byKind.has(c.kind)) byKind.set(c.kind, [])
      byKind.get(c.kind).push([cid, c.input, want.valid, want.code ?? null])
    }
  }
  // The batch paths (array of strings, Buffer of lines) give the same answers as the single one.
  for (const [kind, items] of byKind) {
    const inputs = items.map((i) => i[1])
    const codes = crm.checkMany(kind, inputs)
    const valid = crm.isValidMany(kind, inputs)
    const canon = crm.canonicalMany(kind, inputs)
    items.forEach(([cid, , ok, code], i) => {
      if (codes[i] !== code || valid[i] !== ok) r.fail(cid, `checkMany/isValidMany give ${valid[i]}, ${codes[i]}; expected ${ok}, ${code}`)
      if ((canon.codes[i] ?? null) !== code || (canon.values[i] === null) === ok) r.fail(cid, `canonicalMany gives ${canon.values[i]}, ${canon.codes[i]}`)
    })
    const lines = items.filter((i) => !/[\r\n]/.test(i[1]))
    const status = crm.validateBuffer(kind, Buffer.from(lines.map((i) => i[1]).join('\n') + '\n'))
    assert.equal(status.length, lines.length, `${kind}: one status per line`)
    lines.forEach(([cid, , ok, code], i) => {
      if ((status[i] === 0) !== ok || crm.STATUS_CODES[status[i]] !== code) r.fail(cid, `validateBuffer gives ${status[i]} (${crm.STATUS_CODES[status[i]]})`)
    })
  }
  r.finish('validation', cases.length)
})

test('money.json: rounding, allocation, rates, currencies, checked arithmetic', () => {
  const doc = load('money.json')
  const r = new Report()
  let total = 0
  const minimum = { rounding: 100, allocation: 30, rates: 30, currencies: 5, arithmetic: 10 }
  for (const [name, least] of Object.entries(minimum)) assert.ok(doc[name].length >= least, name)
  for (const c of doc.rounding) {
    total++
    const cid = r.id(c)
    const got = crm.roundDecimal(c.value, c.places, c.mode)
    if (typeof got !== 'string' || !decEq(got, c.expect)) r.fail(cid, `expected ${c.expect}, got ${show(got)}`)
  }
  for (const c of doc.allocation) {
    total++
    const cid = r.id(c)
    let got
    try {
      const parts = crm.allocate(c.total, c.weights, c.currency)
      got = { ok: true, parts: parts.map((p) => p.amount) }
      if (parts.some((p) => p.currency !== c.currency)) r.fail(cid, 'a part is in another currency')
      if (!decEq(decSum(got.parts), c.total)) r.fail(cid, 'the parts do not sum to the total')
    } catch (e) {
      assert.ok(e instanceof crm.CrmError, String(e))
      got = { ok: false, code: e.code }
    }
    const want = c.expect
    const same = want.ok
      ? got.ok && got.parts.length === want.parts.length && want.parts.every((p, i) => decEq(p, got.parts[i]))
      : show(got) === show(want)
    if (!same) r.fail(cid, `expected ${show(want)}, got ${show(got)}`)
  }
  for (const c of doc.rates) {
    total++
    const cid = r.id(c)
    let got
    try {
      got = { ok: true, value: crm.parseRate(c.input) }
    } catch (e) {
      got = { ok: false, code: e.code }
    }
    const want = c.expect
    if (want.ok !== got.ok || (want.ok && !decEq(want.value, got.value)) || (!want.ok && want.code !== got.code)) {
      r.fail(cid, `expected ${show(want)}, got ${show(got)}`)
    }
  }
  for (const c of doc.currencies) {
    total++
    const cid = r.id(c)
    let got
    try {
      const info = crm.currencyInfo(c.input)
      got = { ok: true, currency: info.code, minor_units: info.minorUnits }
    } catch (e) {
      got = { ok: false, code: e.code }
    }
    for (const [k, v] of Object.entries(c.expect)) {
      if (show(got[k]) !== show(v)) r.fail(cid, `expected ${show(c.expect)}, got ${show(got)}`)
    }
  }
  for (const c of doc.arithmetic) {
    total++
    const cid = r.id(c)
    let got
    try {
      const m = c.op === 'add' ? crm.addMoney(c.left, c.right) : crm.subtractMoney(c.left, c.right)
      got = { ok: true, amount: m.amount, currency: m.currency }
    } catch (e) {
      assert.ok(e instanceof crm.MoneyError, String(e))
      got = { ok: false, code: e.code }
    }
    const want = c.expect
    const same = want.ok ? got.ok && decEq(want.amount, got.amount) && want.currency === got.currency : show(got) === show(want)
    if (!same) r.fail(cid, `expected ${show(want)}, got ${show(got)}`)
  }
  r.finish('money', total)
})
