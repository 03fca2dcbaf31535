// The Node binding against what a Node developer would otherwise use, in one run on the same
// data; prints each ratio (how many times faster the binding is). Not run by CI.
//
//     bash benches/node/run.sh                        # full sizes
//     CRM_BENCH_SCALE=0.1 bash benches/node/run.sh    # a tenth, for a quick look
//
// 1. CPF and CNPJ validation of a batch: realestate-crm's array form (isValidMany) and Buffer
//    form (validateBuffer: newline-separated documents in, one status byte each out) against
//    cpf-cnpj-validator and @brazilian-utils/brazilian-utils called once per document.
// 2. Commission statements: CommissionEngine.statements against a plain-JS implementation of
//    the same plan in integer cents (6% pool, 50/20/30 split, largest-remainder cents, ISS 5% on
//    the agency, progressive IRRF on brokers); the results are checked equal.
// 3. Rule scoring: three simple fit rules (the Python comparison's) over a book of leads,
//    Scorer.scoreMany against a hand-written JS scorer of the same rules; results checked equal.
// 4. The overhead of one small call (isValidCpf on one string) against an empty JS function.
//
// Timings are the best of a few runs; the binding's batch calls use every core.
import os from 'node:os'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)
const crm = require(path.resolve(here, '../../bindings/node'))
const { cpf: cpfValidator, cnpj: cnpjValidator } = require('cpf-cnpj-validator')
const bu = await import('@brazilian-utils/brazilian-utils')

const SCALE = Number(process.env.CRM_BENCH_SCALE ?? '1')
let seed = 7
function rand(n) {
  // xorshift32: the same data on every run
  seed ^= seed << 13
  seed >>>= 0
  seed ^= seed >>> 17
  seed ^= seed << 5
  seed >>>= 0
  return seed % n
}

function best(fn, repeat = 3) {
  let min = Infinity
  for (let i = 0; i < repeat; i++) {
    const t = process.hrtime.bigint()
    fn()
    min = Math.min(min, Number(process.hrtime.bigint() - t) / 1e6)
  }
  return min
}
async function bestAsync(fn, repeat = 3) {
  let min = Infinity
  for (let i = 0; i < repeat; i++) {
    const t = process.hrtime.bigint()
    await fn()
    min = Math.min(min, Number(process.hrtime.bigint() - t) / 1e6)
  }
  return min
}

const ratios = []
function report(name, ours, theirs, what) {
  const ratio = theirs / ours
  ratios.push([name, what, ratio])
  console.log(`${name.padEnd(46)} binding ${ours.toFixed(1).padStart(9)} ms   ${what.padEnd(22)} ${theirs.toFixed(1).padStart(9)} ms   ratio ${ratio.toFixed(1).padStart(6)}x`)
  return ratio
}

function assertSame(a, b, what) {
  if (a.length !== b.length) throw new Error(`${what}: lengths differ`)
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) throw new Error(`${what}: item ${i} differs (${a[i]} vs ${b[i]})`)
}

// --- 1. documents -------------------------------------------------------------------------

function checkDigits(base, weightsFor) {
  const d = base.slice()
  for (const n of weightsFor(d.length)) {
    let s = 0
    for (let i = 0; i < d.length; i++) s += d[i] * n[i]
    const r = s % 11
    d.push(r < 2 ? 0 : 11 - r)
  }
  return d.join('')
}
const cpfWeights = (len) => [Array.from({ length: len }, (_, i) => 10 - i), Array.from({ length: len + 1 }, (_, i) => 11 - i)]
const cnpjW1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
const cnpjW2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
const cnpjWeights = () => [cnpjW1, cnpjW2]

function cpfs(n) {
  const out = new Array(n)
  for (let i = 0; i < n; i++) {
    let c = checkDigits(Array.from({ length: 9 }, () => rand(10)), cpfWeights)
    if (i % 4 === 3) c = c.slice(0, -1) + String((Number(c.at(-1)) + 1) % 10) // a wrong check digit
    out[i] = i % 2 ? `${c.slice(0, 3)}.${c.slice(3, 6)}.${c.slice(6, 9)}-${c.slice(9)}` : c
  }
  return out
}

function cnpjs(n) {
  const out = new Array(n)
  for (let i = 0; i < n; i++) {
    const base = Array.from({ length: 8 }, () => rand(10)).concat([0, 0, 0, 1])
    let c = checkDigits(base, cnpjWeights)
    if (i % 4 === 3) c = c.slice(0, -1) + String((Number(c.at(-1)) + 1) % 10)
    out[i] = i % 2 ? `${c.slice(0, 2)}.${c.slice(2, 5)}.${c.slice(5, 8)}/${c.slice(8, 12)}-${c.slice(12)}` : c
  }
  return out
}

function benchDocuments(kind, values, lib1, lib2) {
  const n = values.length.toLocaleString('en')
  const buffer = Buffer.from(values.join('\n'))
  const ours = crm.isValidMany(kind, values)
  const status = crm.validateBuffer(kind, buffer)
  const theirs = values.map(lib1)
  assertSame(ours, theirs, `${kind}: the binding and cpf-cnpj-validator`)
  assertSame(Array.from(status, (s) => s === 0), theirs, `${kind}: the Buffer form`)
  assertSame(values.map(lib2), theirs, `${kind}: brazilian-utils`)
  const tArray = best(() => crm.isValidMany(kind, values))
  const tBuffer = best(() => crm.validateBuffer(kind, buffer))
  const tJoin = best(() => crm.validateBuffer(kind, values.join('\n')))
  const t1 = best(() => {
    for (let i = 0; i < values.length; i++) lib1(values[i])
  })
  const t2 = best(() => {
    for (let i = 0; i < values.length; i++) lib2(values[i])
  })
  const K = kind.toUpperCase()
  report(`${K} batch (${n}), array of strings`, tArray, t1, 'cpf-cnpj-validator')
  report(`${K} batch (${n}), array of strings`, tArray, t2, 'brazilian-utils')
  report(`${K} batch (${n}), Buffer of lines`, tBuffer, t1, 'cpf-cnpj-validator')
  report(`${K} batch (${n}), Buffer of lines`, tBuffer, t2, 'brazilian-utils')
  report(`${K} batch (${n}), strings joined + Buffer`, tJoin, t1, 'cpf-cnpj-validator')
  console.log(`   (${(values.length / t1 / 1e3).toFixed(2)} M ${K}/s for cpf-cnpj-validator, ${(values.length / tBuffer / 1e3).toFixed(2)} M/s for the Buffer form)`)
}

// --- 2. commission statements -------------------------------------------------------------

const PLAN = {
  id: 'venda-6',
  applies_to: 'sale',
  pool: { type: 'percentage', rate: '6%' },
  split: { then: [{ role: 'agency', share: '50%' }, { role: 'listing_broker', share: '20%' }, { role: 'selling_broker', share: '30%' }] },
}
// IRRF brackets in cents: [up to, rate in 1/1000, deduction].
const IRRF = [
  [242880, 0, 0],
  [282665, 75, 18216],
  [375105, 150, 39416],
  [466468, 225, 67549],
  [null, 275, 90873],
]
const TAXES = [
  { tax: 'ISS', roles: ['agency'], valid_from: '2020-01-01', rate: '5%' },
  {
    tax: 'IRRF',
    recipient: 'individual',
    roles: ['listing_broker', 'selling_broker'],
    valid_from: '2020-01-01',
    brackets: IRRF.map(([u, r, d]) => ({ ...(u === null ? {} : { up_to: (u / 100).toFixed(2) }), rate: (r / 1000).toString(), deduction: (d / 100).toFixed(2) })),
  },
]
const SHARES = [
  ['agency', 50],
  ['listing_broker', 20],
  ['selling_broker', 30],
]

const uuid = (prefix, i) => `${prefix}-0000-7000-8000-${i.toString(16).padStart(12, '0')}`

function deals(n) {
  const out = new Array(n)
  for (let i = 0; i < n; i++) {
    const cents = 20_000_000 + rand(280_000_000)
    out[i] = {
      id: uuid('0190d000', i + 1),
      lead_id: uuid('0190e000', i + 1),
      property_id: uuid('0190f000', i + 1),
      kind: 'sale',
      status: 'closed',
      value: { amount: (cents / 100).toFixed(2), currency: 'BRL' },
      proposed_on: '2026-05-04',
      closed_on: '2026-05-04',
      participants: [
        { role: 'agency', name: 'Horizonte', document: '48.731.562/0001-31', recipient: 'company' },
        { role: 'listing_broker', agent_id: uuid('0190a000', i % 50), recipient: 'individual' },
        { role: 'selling_broker', agent_id: uuid('0190b000', i % 50), recipient: 'individual' },
      ],
      created_at: '2026-05-04T12:00:00Z',
      updated_at: '2026-05-04T12:00:00Z',
    }
  }
  return out
}

// n / d rounded half to even, for n ≥ 0 and d > 0 (integers).
function divHalfEven(n, d) {
  const q = Math.floor(n / d)
  const r = n - q * d
  if (2 * r > d || (2 * r === d && q % 2 === 1)) return q + 1
  return q
}
const toCents = (s) => {
  const [i, f = ''] = s.split('.')
  return Number(i) * 100 + Number(f.padEnd(2, '0').slice(0, 2))
}
const fromCents = (c) => `${Math.trunc(c / 100)}.${String(Math.abs(c % 100)).padStart(2, '0')}`

/** A straightforward plain-JS implementation of the same plan and taxes, in integer cents. */
function jsStatement(deal) {
  const value = toCents(deal.value.amount)
  const pool = divHalfEven(value * 6, 100)
  // Largest remainder: floors first, then one cent each by the largest remainder, ties by order.
  const parts = SHARES.map(([, share]) => [Math.floor((pool * share) / 100), (pool * share) % 100])
  let left = pool - parts.reduce((s, [f]) => s + f, 0)
  const order = parts.map((_, i) => i).sort((a, b) => parts[b][1] - parts[a][1] || a - b)
  for (const i of order) {
    if (left === 0) break
    parts[i][0] += 1
    left -= 1
  }
  let totalWithheld = 0
  let totalNet = 0
  const lines = SHARES.map(([role], i) => {
    const gross = parts[i][0]
    let tax = 0
    if (role === 'agency') tax = divHalfEven(gross * 5, 100)
    else {
      for (const [upTo, rate, deduction] of IRRF) {
        if (upTo === null || gross <= upTo) {
          tax = Math.max(0, divHalfEven(gross * rate - deduction * 1000, 1000))
          break
        }
      }
    }
    totalWithheld += tax
    totalNet += gross - tax
    return { role, gross, tax, net: gross - tax }
  })
  return { pool, lines, totalWithheld, totalNet }
}

async function benchStatements() {
  const book = deals(Math.round(20_000 * SCALE))
  const engine = new crm.CommissionEngine(PLAN, TAXES)
  const asOf = '2026-05-04'
  const ours = engine.statements(book, asOf)
  const theirs = book.map(jsStatement)
  ours.forEach((s, i) => {
    const p = theirs[i]
    if (s.pool.amount !== fromCents(p.pool) || s.total_net.amount !== fromCents(p.totalNet)) throw new Error(`deal ${i}: ${s.pool.amount}/${s.total_net.amount} vs ${fromCents(p.pool)}/${fromCents(p.totalNet)}`)
    s.lines.forEach((l, j) => {
      if (l.net.amount !== fromCents(p.lines[j].net)) throw new Error(`deal ${i} line ${j}: ${l.net.amount} vs ${fromCents(p.lines[j].net)}`)
    })
  })
  const tJs = best(() => book.map(jsStatement))
  const n = book.length.toLocaleString('en')
  report(`statements (${n} deals)`, best(() => engine.statements(book, asOf)), tJs, 'plain JS, int cents')
  report(`statements, explain: false`, best(() => engine.statements(book, asOf, { explain: false })), tJs, 'plain JS, int cents')
  report(`statementsAsync, explain: false`, await bestAsync(() => engine.statementsAsync(book, asOf, { explain: false })), tJs, 'plain JS, int cents')
  const one = book[0]
  const tOne = best(() => {
    for (let i = 0; i < 2000; i++) engine.statement(one, asOf)
  }) / 2000
  const tOneJs = best(() => {
    for (let i = 0; i < 2000; i++) jsStatement(one)
  }) / 2000
  report('one statement (µs per call, as ms)', tOne * 1000, tOneJs * 1000, 'plain JS, int cents')
}

// --- 3. rule scoring ----------------------------------------------------------------------

const RULES = {
  id: 'bench',
  weights: { fit: 1, engagement: 1 },
  bands: [
    { name: 'A', min: 10 },
    { name: 'B', min: 5 },
    { name: 'C', min: 0 },
  ],
  fit: {
    cap: 50,
    groups: [
      { name: 'intent', cap: 20 },
      { name: 'contact', cap: 20 },
      { name: 'profile', cap: 20 },
    ],
    rules: [
      { id: 'moving_soon', group: 'intent', points: 6, when: { type: 'timeline', timelines: ['immediate', 'within_3_months'] } },
      { id: 'valid_email', group: 'contact', points: 2, when: { type: 'valid_email' } },
      { id: 'profile_complete', group: 'profile', points: 7, when: { type: 'profile_complete', min_fields: 3 } },
    ],
  },
  engagement: { cap: 50, decay: { type: 'none' }, groups: [], rules: [] },
}
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?=.{1,255}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/
const TIMELINES = ['immediate', 'within_3_months', 'within_6_months', 'over_12_months', 'unknown']

function leads(n) {
  const stamp = '2026-11-01T12:00:00Z'
  const out = new Array(n)
  for (let i = 0; i < n; i++) {
    const contact = { name: 'Ana Souza', email: i % 3 ? `user${i}@example.com` : `user${i}example.com` }
    if (i % 2) contact.phone = '(11) 98765-4321'
    out[i] = { id: uuid('0190c000', i), contact, timeline: TIMELINES[i % 5], created_at: stamp, updated_at: stamp }
  }
  return out
}

/** A hand-written JS scorer of the same three rules. */
function jsScores(book) {
  return book.map((lead) => {
    const reasons = []
    if (lead.timeline === 'immediate' || lead.timeline === 'within_3_months') reasons.push(['moving_soon', 6])
    const email = lead.contact.email
    if (typeof email === 'string' && EMAIL.test(email.trim())) reasons.push(['valid_email', 2])
    const phone = lead.contact.phone
    const filled = (typeof email === 'string' && email.trim() ? 1 : 0) + (typeof phone === 'string' && phone.trim() ? 1 : 0) + (lead.timeline !== 'unknown' ? 1 : 0)
    if (filled >= 3) reasons.push(['profile_complete', 7])
    const score = reasons.reduce((s, [, p]) => s + p, 0) // weights 1:1, caps 50/50
    reasons.sort((a, b) => b[1] - a[1])
    return { lead_id: lead.id, score, band: score >= 10 ? 'A' : score >= 5 ? 'B' : 'C', reasons: reasons.map(([r]) => r) }
  })
}

async function benchScoring() {
  const n = Math.round(200_000 * SCALE)
  const book = leads(n)
  const scorer = new crm.Scorer(RULES)
  const now = new Date('2026-11-26T12:00:00Z')
  const ours = scorer.scoreMany(book, now)
  const theirs = jsScores(book)
  ours.forEach((s, i) => {
    const t = theirs[i]
    const reasons = (s.reasons ?? []).map((r) => r.rule)
    if (s.score !== t.score || s.band !== t.band || reasons.join() !== t.reasons.join()) throw new Error(`lead ${i}: ${JSON.stringify(s)} vs ${JSON.stringify(t)}`)
  })
  const tJs = best(() => jsScores(book))
  report(`3 simple rules (${n.toLocaleString('en')} leads, objects)`, best(() => scorer.scoreMany(book, now), 2), tJs, 'hand-written JS')
  report('3 simple rules, scoreManyAsync', await bestAsync(() => scorer.scoreManyAsync(book, now), 2), tJs, 'hand-written JS')
}

// --- 4. per-call overhead ----------------------------------------------------------------

function benchOverhead() {
  const n = 2_000_000
  const value = '529.982.247-25'
  const empty = (v) => typeof v === 'string'
  const loop = (f) => {
    const t = process.hrtime.bigint()
    let k = 0
    for (let i = 0; i < n; i++) if (f(value)) k++
    if (k !== n) throw new Error('a call returned false')
    return Number(process.hrtime.bigint() - t) / n
  }
  const ours = Math.min(loop(crm.isValidCpf), loop(crm.isValidCpf), loop(crm.isValidCpf))
  const base = Math.min(loop(empty), loop(empty), loop(empty))
  const lib = Math.min(loop(cpfValidator.isValid), loop(cpfValidator.isValid), loop(cpfValidator.isValid))
  console.log(
    `${'small call isValidCpf'.padEnd(46)} ${ours.toFixed(0).padStart(6)} ns per call (an empty JS function: ${base.toFixed(1)} ns; the binding's own cost ≈ ${Math.max(ours - base, 0).toFixed(0)} ns; cpf-cnpj-validator: ${lib.toFixed(0)} ns)`,
  )
}

console.log(`realestate-crm ${crm.version}, node ${process.version}, scale ${SCALE}, ${os.cpus().length} cores\n`)
benchDocuments('cpf', cpfs(Math.round(1_000_000 * SCALE)), (v) => cpfValidator.isValid(v), (v) => bu.isValidCPF(v))
benchDocuments('cnpj', cnpjs(Math.round(500_000 * SCALE)), (v) => cnpjValidator.isValid(v), (v) => bu.isValidCNPJ(v))
await benchStatements()
await benchScoring()
benchOverhead()
