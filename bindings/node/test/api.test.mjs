// The API surface: types of results, error classes and codes on sync and Promise paths, batch
// shapes, Buffer batches, bad input from JS, the panic guard.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as crm from 'realestate-crm'
import def from 'realestate-crm'

const LEAD = {
  id: '0190f3a0-0000-7000-8000-000000000001',
  contact: { name: 'Ana Souza', email: 'Ana@Example.COM', phone: '(11) 98765-4321', document: '529.982.247-25' },
  source: { type: 'website' },
  interest: 'buy',
  budget: { max: { amount: '500000.00', currency: 'BRL' } },
  min_bedrooms: 2,
  timeline: 'immediate',
  created_at: new Date('2026-05-04T12:00:00Z'),
  updated_at: '2026-05-04T12:00:00Z',
}

const PLAN = {
  id: 'venda-6',
  applies_to: 'sale',
  pool: { type: 'percentage', rate: '6%' },
  split: { then: [{ role: 'agency', share: '50%' }, { role: 'listing_broker', share: '20%' }, { role: 'selling_broker', share: '30%' }] },
}
const DEAL = {
  id: '0190f3a0-0000-7000-8000-00000000d001',
  lead_id: LEAD.id,
  property_id: '0190f3a0-0000-7000-8000-00000000b001',
  kind: 'sale',
  status: 'closed',
  value: { amount: '850000.00', currency: 'BRL' },
  proposed_on: '2026-05-04',
  closed_on: '2026-05-04',
  participants: [
    { role: 'agency', name: 'Horizonte', document: '48.731.562/0001-31', recipient: 'company' },
    { role: 'listing_broker', agent_id: '0190f3a0-0000-7000-8000-0000000a0001' },
    { role: 'selling_broker', agent_id: '0190f3a0-0000-7000-8000-0000000a0002' },
  ],
  created_at: new Date('2026-05-04T12:00:00Z'),
  updated_at: new Date('2026-05-04T12:00:00Z'),
}

function coded(code, cls = crm.ValidationError, path) {
  return (e) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${e && e.constructor && e.constructor.name}: ${e && e.message}`)
    assert.ok(e instanceof crm.CrmError && e instanceof Error)
    assert.equal(e.code, code, e.message)
    if (path !== undefined) assert.equal(e.path, path)
    assert.equal(e.name, cls.name)
    return true
  }
}

test('the default export and the named exports are the same objects', () => {
  assert.equal(def.CrmError, crm.CrmError)
  assert.equal(def.parseCpf, crm.parseCpf)
  assert.match(crm.version, /^\d+\.\d+\.\d+/)
})

test('results are plain objects with decimal strings, Dates for instants, ISO dates as text', () => {
  const n = crm.normalized('lead', LEAD)
  assert.equal(Object.getPrototypeOf(n), Object.prototype)
  assert.equal(n.contact.phone, '+5511987654321')
  assert.equal(n.contact.document, '52998224725')
  assert.ok(n.created_at instanceof Date && n.updated_at instanceof Date)
  assert.equal(n.created_at.toISOString(), '2026-05-04T12:00:00.000Z')
  assert.deepEqual(n.budget.max, { amount: '500000.00', currency: 'BRL' })
  const s = new crm.CommissionEngine(PLAN).statement(DEAL, '2026-05-04')
  assert.equal(typeof s.pool.amount, 'string')
  assert.equal(s.pool.amount, '51000.00')
  assert.equal(s.date, '2026-05-04')
  assert.deepEqual(crm.parseCep('01310-100'), { bare: '01310100', formatted: '01310-100', uf: 'SP' })
  assert.deepEqual(crm.parseEmail(' Ana@Example.COM '), { normalized: 'Ana@example.com', matchKey: crm.parseEmail('Ana@Example.COM').matchKey })
  assert.equal(crm.roundDecimal('2.345'), '2.34')
  assert.equal(crm.roundDecimal('2.345', 2, 'half_up'), '2.35')
  assert.equal(crm.decimal(' 12.50 '), '12.50')
  assert.deepEqual(crm.currencyInfo('jpy'), { code: 'JPY', minorUnits: 0 })
})

test('errors: classes by family, code, path and every problem', () => {
  assert.throws(() => crm.parseCpf('529.982.247-24'), coded('validation.cpf.check_digit'))
  assert.throws(() => crm.canonical('phone', '123'), (e) => e instanceof crm.ValidationError && e.code.startsWith('validation.phone'))
  assert.throws(() => crm.addMoney({ amount: '1.00', currency: 'BRL' }, { amount: '1.00', currency: 'USD' }), coded('money.currency_mismatch', crm.MoneyError))
  assert.throws(() => new crm.Pipeline('sales').transition({ ...LEAD, stage: 'new' }, 'won', { now: new Date() }), (e) => e instanceof crm.WorkflowError || e instanceof crm.ValidationError)
  const bad = { ...LEAD, contact: { name: '', email: 'nope', phone: '12' } }
  const problems = crm.validateRecord('lead', bad)
  assert.ok(problems.length >= 3)
  assert.deepEqual(Object.keys(problems[0]).sort(), ['code', 'message', 'path'])
  assert.throws(() => crm.normalized('lead', bad), (e) => {
    assert.ok(e instanceof crm.ValidationError)
    assert.equal(e.errors.length, problems.length)
    assert.equal(e.path, problems[0].path)
    assert.deepEqual(e.errors.map((x) => x.code), problems.map((x) => x.code))
    return true
  })
  assert.throws(() => crm.isValid('passport', 'x'), coded('input.json', crm.ValidationError, 'kind'))
})

test('a Rust panic is an InternalError (internal.panic), never a crash', () => {
  assert.throws(() => crm._testPanic(), coded('internal.panic', crm.InternalError))
  // The process goes on working.
  assert.equal(crm.isValidCpf('529.982.247-25'), true)
})

test('the same codes on the Promise paths', async () => {
  const engine = new crm.CommissionEngine(PLAN)
  const bad = { ...DEAL, value: { amount: 'abc' } }
  let syncCode
  try {
    engine.statements([bad], '2026-05-04')
  } catch (e) {
    syncCode = e.code
  }
  await assert.rejects(engine.statementsAsync([bad], '2026-05-04'), coded(syncCode))
  await assert.rejects(engine.statementsAsync([{ ...DEAL, value: { amount: 10 } }], '2026-05-04'), coded('validation.money.format'))
  await assert.rejects(new crm.Scorer().scoreManyAsync([{ ...LEAD, id: 'x' }], new Date()), coded('input.json', crm.ValidationError, 'leads[0].id'))
  assert.throws(() => new crm.Scorer().scoreMany([{ ...LEAD, id: 'x' }], new Date()), coded('input.json', crm.ValidationError, 'leads[0].id'))
  await assert.rejects(crm.findDuplicatesAsync([{ nope: 1 }]), coded('input.json'))
  await assert.rejects(crm.validateBufferAsync('passport', Buffer.from('x')), coded('input.json'))
  // Bad arguments reject too (never a synchronous throw from a Promise-returning call).
  const p = engine.statementsAsync(undefined, '2026-05-04')
  assert.ok(p instanceof Promise)
  await assert.rejects(p, coded('input.json'))
  const results = await engine.statementsAsync([DEAL, bad], '2026-05-04', { errors: 'return' })
  assert.equal(results[0].pool.amount, '51000.00')
  assert.ok(results[1] instanceof crm.ValidationError && results[1].path.startsWith('[1]'))
})

test('batches: arrays in, arrays out, in order; Buffers of lines', async () => {
  const values = ['529.982.247-25', '529.982.247-24', '', null, undefined, 42, '11111111111']
  assert.deepEqual(crm.checkMany('cpf', values), [null, 'validation.cpf.check_digit', 'validation.cpf.empty', 'validation.cpf.empty', 'validation.cpf.empty', 'input.json', 'validation.cpf.repeated'])
  assert.deepEqual(crm.isValidMany('cpf', values), [true, false, false, false, false, false, false])
  assert.deepEqual(await crm.checkManyAsync('cpf', values), crm.checkMany('cpf', values))
  const canon = crm.canonicalMany('phone', ['(11) 98765-4321', 'x'])
  assert.equal(canon.values[0], '+5511987654321')
  assert.equal(canon.values[1], null)
  assert.equal(canon.codes[0], null)
  const text = '529.982.247-25\r\n529.982.247-24\n\n52998224725'
  const status = crm.validateBuffer('cpf', Buffer.from(text))
  assert.ok(status instanceof Uint8Array)
  assert.deepEqual(crm.statusCodesOf(status), [null, 'validation.cpf.check_digit', 'validation.cpf.empty', null])
  assert.deepEqual(crm.validateBuffer('cpf', text), status)
  assert.deepEqual(await crm.validateBufferAsync('cpf', new TextEncoder().encode(text)), status)
  assert.equal(crm.STATUS_CODES[0], null)
  assert.equal(crm.validateBuffer('cpf', Buffer.alloc(0)).length, 0)
  // Bytes that are not UTF-8 are input.json for that line only.
  assert.deepEqual(crm.statusCodesOf(crm.validateBuffer('cpf', Buffer.from([0xff, 0x0a, 0x35]))), ['input.json', 'validation.cpf.length'])
  // Long arrays are checked as one joined buffer when that gives the same answers: compare
  // with one call per item, with missing items, blanks, spaces and non-ASCII text.
  const mixed = Array.from({ length: 200 }, (_, i) => [' 529.982.247-25 ', '', null, undefined, 'ção', '52998224725', '1'][i % 7])
  const one = (v) => (typeof v === 'string' ? crm.check('cpf', v) : 'validation.cpf.empty')
  assert.deepEqual(crm.checkMany('cpf', mixed), mixed.map(one))
  assert.deepEqual(crm.isValidMany('cpf', mixed), mixed.map((v) => one(v) === null))
  // … and one value per item (the native path) when an item holds a line break or is no string.
  const odd = [...mixed, '529.982.247-25\r', 7]
  assert.deepEqual(crm.checkMany('cpf', odd), [...mixed.map(one), crm.check('cpf', '529.982.247-25\r'), 'input.json'])
  // A large batch (split over the cores) keeps its order.
  const many = Array.from({ length: 50_000 }, (_, i) => (i % 3 === 0 ? '529.982.247-25' : String(i)))
  const flags = crm.isValidMany('cpf', many)
  assert.ok(flags.every((f, i) => f === (i % 3 === 0)))
  const big = crm.validateBuffer('cpf', many.join('\n'))
  assert.ok(Array.from(big).every((s, i) => (s === 0) === (i % 3 === 0)))
  const recs = crm.validateRecords('lead', [LEAD, { ...LEAD, contact: { name: '' } }, { wrong: true }])
  assert.deepEqual(recs[0], [])
  assert.ok(Array.isArray(recs[1]) && recs[1].length > 0)
  assert.ok(recs[2] instanceof crm.ValidationError && recs[2].code === 'input.json' && recs[2].path.startsWith('[2]'))
  assert.deepEqual(await crm.validateRecordsAsync('lead', [LEAD]), [[]])
})

test('bad input from JS: undefined, null, numbers for money, NaN, missing and extra fields, huge strings', () => {
  // undefined and null where a value is needed.
  assert.throws(() => crm.parseCpf(undefined), coded('input.json', crm.ValidationError, 'value'))
  assert.throws(() => crm.parseCpf(null), coded('input.json'))
  assert.throws(() => crm.validateRecord('lead', undefined), coded('input.json'))
  assert.throws(() => crm.validateRecord('lead', null), coded('input.json'))
  assert.throws(() => new crm.CommissionEngine(undefined), coded('input.json'))
  assert.throws(() => new crm.Scorer(null), coded('input.json'))
  assert.equal(crm.isValid('cpf', undefined), false)
  assert.equal(crm.isValidCpf(null), false)
  // Numbers where money is expected, at every level.
  assert.throws(() => crm.roundDecimal(2.345), coded('validation.money.format', crm.ValidationError, 'value'))
  assert.throws(() => crm.allocate(100, ['1', '1']), coded('validation.money.format', crm.ValidationError, 'total'))
  assert.throws(() => crm.allocate('100.00', [1, 1]), coded('validation.money.format', crm.ValidationError, 'weights[0]'))
  assert.throws(() => crm.addMoney({ amount: 1 }, '2.00'), coded('validation.money.format', crm.ValidationError, 'left.amount'))
  assert.throws(() => crm.normalized('lead', { ...LEAD, budget: { max: { amount: 500000 } } }), coded('validation.money.format', crm.ValidationError, 'budget.max.amount'))
  assert.throws(() => crm.normalized('lead', { ...LEAD, budget: { max: 500000.5 } }), coded('validation.money.format', crm.ValidationError, 'budget.max'))
  assert.throws(() => new crm.CommissionEngine(PLAN).statement({ ...DEAL, value: 850000 }, '2026-05-04'), coded('validation.money.format', crm.ValidationError, 'deal.value'))
  assert.throws(() => new crm.CommissionEngine({ ...PLAN, pool: { type: 'percentage', rate: 0.06 } }), (e) => e instanceof crm.ValidationError && e.path.startsWith('plan.pool'))
  // NaN, infinities, invalid Dates, BigInts: refused with the path, never turned into null.
  assert.throws(() => crm.validateRecord('lead', { ...LEAD, min_bedrooms: NaN }), coded('input.json', crm.ValidationError, 'min_bedrooms'))
  assert.throws(() => crm.validateRecord('lead', { ...LEAD, min_bedrooms: Infinity }), coded('input.json', crm.ValidationError, 'min_bedrooms'))
  assert.throws(() => crm.validateRecord('lead', { ...LEAD, created_at: new Date('nope') }), coded('input.json', crm.ValidationError, 'created_at'))
  assert.throws(() => crm.validateRecord('lead', { ...LEAD, version: 1n }), coded('input.json', crm.ValidationError, 'version'))
  assert.throws(() => new crm.Scorer().score(LEAD, new Date(NaN)), coded('input.json', crm.ValidationError, 'now'))
  assert.throws(() => crm.roundDecimal(NaN), coded('validation.money.format'))
  assert.throws(() => crm.fieldWeights(NaN, 0.1), coded('input.json', crm.ValidationError, 'm'))
  assert.throws(() => crm.roundDecimal('1.5', 1.5), coded('input.json', crm.ValidationError, 'places'))
  // A circular structure.
  const loop = { ...LEAD }
  loop.self = loop
  assert.throws(() => crm.validateRecord('lead', loop), coded('input.json', crm.ValidationError, 'self'))
  // Missing and extra fields.
  const { contact, ...noContact } = LEAD
  void contact
  assert.throws(() => crm.validateRecord('lead', noContact), (e) => e instanceof crm.ValidationError && e.code === 'input.json' && /contact/.test(e.message))
  assert.throws(() => crm.validateRecord('lead', { ...LEAD, nickname: 'Aninha' }), (e) => e instanceof crm.ValidationError && e.code === 'input.json' && /nickname/.test(e.message))
  assert.throws(() => crm.validateRecord('lead', { ...LEAD, contact: { ...LEAD.contact, extra: 1 } }), coded('input.json'))
  // Wrong types.
  assert.throws(() => crm.validateRecord('lead', { ...LEAD, id: 5 }), coded('input.json', crm.ValidationError, 'id'))
  assert.throws(() => crm.validateRecord('lead', 'not an object'), coded('input.json'))
  assert.throws(() => crm.checkMany('cpf', 'not an array'), coded('input.json', crm.ValidationError, 'values'))
  assert.throws(() => crm.validateBuffer('cpf', 12), coded('input.json', crm.ValidationError, 'data'))
  // 10 MB strings: a coded error (or a clean answer), never a hang or a crash.
  const huge = '9'.repeat(10 * 1024 * 1024)
  assert.throws(() => crm.parseCpf(huge), coded('validation.cpf.length'))
  assert.equal(crm.check('email', huge + '@x.com') !== null, true)
  assert.throws(() => crm.roundDecimal(huge), coded('validation.money.format'))
  const r = crm.validateRecord('lead', { ...LEAD, contact: { name: 'x'.repeat(10 * 1024 * 1024) } })
  assert.ok(r.some((p) => p.path === 'contact.name'))
  assert.throws(() => new crm.CommissionEngine(huge), coded('input.json'))
  assert.equal(crm.validateBuffer('cpf', huge).length, 1)
})

test('workflow and calendars take and give Dates', () => {
  const cal = new crm.BusinessCalendar()
  const due = cal.addBusinessMinutes(new Date('2026-02-18T12:10:00Z'), 60)
  assert.ok(due instanceof Date)
  assert.equal(typeof cal.businessMinutesBetween(new Date('2026-02-18T12:00:00Z'), '2026-02-18T13:00:00Z'), 'number')
  assert.equal(cal.isHoliday('2026-12-25'), true)
  assert.throws(() => cal.isHoliday(new Date()), coded('input.json', crm.ValidationError, 'day'))
  assert.equal(crm.easterSunday(2026), '2026-04-05')
  const p = new crm.Pipeline('sales')
  assert.equal(p.stageField, 'stage')
  assert.ok(p.targets('new').length > 0)
  const { record, transition } = p.transition({ ...LEAD, stage: 'new' }, p.targets('new')[0], { now: new Date('2026-05-05T10:00:00Z') })
  assert.equal(record.stage, p.targets('new')[0])
  assert.ok(transition.at instanceof Date)
})
