// The store from Node: every backend — `memory:`, an SQLite file, PostgreSQL (its own schema,
// dropped after) and PostgreSQL behind a Redis cache (its own key prefix, deleted after) —
// through the same checks as the Python binding's tests/test_store.py: round trips with Dates
// and decimals, versions and conflicts, duplicates, keyset pagination, imports with
// re-deliveries, tenant isolation, the append-only ledger, routing state with compare-and-swap,
// LGPD export and erasure; then bad input and unreachable servers, all as coded errors on the
// Promise path.
//
// PostgreSQL at DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) and Redis at
// REDIS_URL (default redis://127.0.0.1:6379): a suite whose server is unreachable is skipped
// with a loud `*** SKIPPED` line, or fails when CRM_REQUIRE_SERVICES=1 (as .ci/run sets).
import { test, describe, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import * as crm from 'realestate-crm'
import { load, decEq } from './helpers.mjs'

const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test'
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379'
const REQUIRE = process.env.CRM_REQUIRE_SERVICES === '1' || process.env.CRM_REQUIRE_SERVICES === 'true'

/** Whether the host and port of a URL accept a TCP connection within a second. */
function reachable(url, defaultPort) {
  let host = '127.0.0.1'
  let port = defaultPort
  try {
    const u = new URL(url)
    host = u.hostname || host
    port = Number(u.port) || defaultPort
  } catch {
    return Promise.resolve(false)
  }
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1000 })
    const done = (ok) => {
      socket.destroy()
      resolve(ok)
    }
    socket.once('connect', () => done(true))
    socket.once('timeout', () => done(false))
    socket.once('error', () => done(false))
  })
}

const PG_UP = await reachable(DATABASE_URL, 5432)
const REDIS_UP = await reachable(REDIS_URL, 6379)

/** A name no other run uses, safe as an SQL identifier and a Redis key prefix. */
const unique = (prefix) => `${prefix}_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`

function dropSchema(schema) {
  try {
    execFileSync('psql', [DATABASE_URL, '-q', '-c', `DROP SCHEMA IF EXISTS ${schema} CASCADE`], { stdio: 'pipe', timeout: 30000 })
  } catch (e) {
    console.error(`note: could not drop schema ${schema} (${e.message.split('\n')[0]})`)
  }
}

function deleteKeys(prefix) {
  try {
    const keys = execFileSync('redis-cli', ['-u', REDIS_URL, '--scan', '--pattern', `${prefix}:*`], { encoding: 'utf8', timeout: 30000 })
      .split('\n')
      .filter(Boolean)
    for (let i = 0; i < keys.length; i += 500) {
      execFileSync('redis-cli', ['-u', REDIS_URL, 'DEL', ...keys.slice(i, i + 500)], { stdio: 'pipe', timeout: 30000 })
    }
  } catch (e) {
    console.error(`note: could not delete the Redis keys under ${prefix}: (${e.message.split('\n')[0]})`)
  }
}

// --- the backends ---------------------------------------------------------------------------

const tmp = mkdtempSync(path.join(os.tmpdir(), 'crm-node-store-'))
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }))

const BACKENDS = [
  { name: 'memory:', services: [], open: () => ({ url: 'memory:', options: {} }) },
  { name: 'SQLite (a temporary file)', services: [], open: () => ({ url: `sqlite://${path.join(tmp, `${randomUUID()}.db`)}`, options: {} }) },
  {
    name: 'PostgreSQL',
    services: ['pg'],
    open: () => {
      const schema = unique('crm_node')
      return { url: DATABASE_URL, options: { schema, connectTimeoutMs: 3000 }, cleanup: () => dropSchema(schema) }
    },
  },
  {
    name: 'PostgreSQL behind a Redis cache',
    services: ['pg', 'redis'],
    open: () => {
      const schema = unique('crm_node')
      return {
        url: DATABASE_URL,
        options: { schema, connectTimeoutMs: 3000, cache: REDIS_URL, cachePrefix: schema },
        cleanup: () => {
          dropSchema(schema)
          deleteKeys(schema)
        },
      }
    },
  },
]

const SERVICES = {
  pg: { up: PG_UP, what: `PostgreSQL at ${DATABASE_URL}` },
  redis: { up: REDIS_UP, what: `Redis at ${REDIS_URL}` },
}

// --- records --------------------------------------------------------------------------------

const T0 = '2026-11-01T12:00:00Z'
const NOW = new Date('2026-11-26T12:00:00Z')

function aLead(n, changes = {}) {
  return {
    id: randomUUID(),
    contact: { name: `Ana Souza ${n}`, email: `Ana${n}@Exemplo.com.br`, phone: `+55 11 9${String(87650000 + n).padStart(8, '0')}` },
    source: { type: 'website' },
    created_at: T0,
    updated_at: T0,
    ...changes,
  }
}

const anAgent = (changes = {}) => ({
  id: randomUUID(),
  name: 'Bruno Lima',
  creci: 'CRECI-SP 184372-F',
  email: 'bruno@imob.com.br',
  created_at: T0,
  updated_at: T0,
  ...changes,
})

const aProperty = (changes = {}) => ({
  id: randomUUID(),
  listing: 'sale',
  property_type: 'apartment',
  private_area_m2: '84.5',
  address: { cep: '04089-011', street: 'Alameda dos Maracatins', number: '1187', neighbourhood: 'Moema', city: 'São Paulo', uf: 'SP' },
  sale_price: { amount: '850000.00', currency: 'BRL' },
  created_at: T0,
  updated_at: new Date(T0),
  ...changes,
})

const aDeal = (lead, prop, agent, changes = {}) => ({
  id: randomUUID(),
  lead_id: lead.id,
  property_id: prop.id,
  kind: 'sale',
  value: { amount: '850000.00', currency: 'BRL' },
  proposed_on: '2026-11-02',
  participants: [{ role: 'agency' }, { role: 'listing_broker', agent_id: agent.id }],
  created_at: T0,
  updated_at: T0,
  ...changes,
})

/** The balanced ledger entry of the worked example of commission.json (R$ 850.000,00 at 6%). */
function ledgerEntry() {
  const c = load('commission.json').cases.find((x) => x.operation === 'statement' && 'pool' in x.expect)
  const engine = new crm.CommissionEngine(c.plan, c.withholding)
  return engine.ledgerEntry(engine.statement(c.deal, c.context.as_of))
}

/** An assertion that a Promise rejects with a coded error of a class. */
async function rejects(promise, cls, code, pathWanted) {
  assert.ok(promise instanceof Promise, 'the call returns a Promise (and does not throw)')
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${e && e.constructor && e.constructor.name}: ${e && e.message}`)
    assert.ok(e instanceof crm.CrmError)
    assert.equal(e.code, code, e.message)
    if (pathWanted !== undefined) assert.equal(e.path, pathWanted, e.message)
    return true
  })
}

// --- the suite of one backend ---------------------------------------------------------------

for (const backend of BACKENDS) {
  const down = backend.services.map((s) => SERVICES[s]).filter((s) => !s.up)
  if (down.length > 0) {
    const message = `${down.map((s) => s.what).join(' and ')} unreachable`
    if (REQUIRE) {
      test(`store on ${backend.name}`, () => assert.fail(`${message} and CRM_REQUIRE_SERVICES=1: failing instead of skipping`))
    } else {
      console.error(`\n*** SKIPPED: the Node store suite on ${backend.name} — ${message} (set CRM_REQUIRE_SERVICES=1 to fail instead) ***\n`)
      describe(`store on ${backend.name}`, { skip: `*** SKIPPED: ${message}` }, () => {})
    }
    continue
  }

  describe(`store on ${backend.name}`, () => {
    let store
    let opened

    before(async () => {
      opened = backend.open()
      store = await crm.openStore(opened.url, opened.options)
    })
    after(async () => {
      if (store) await store.close()
      if (opened && opened.cleanup) opened.cleanup()
    })

    test('opens, answers and names its backend', async () => {
      assert.ok(store instanceof crm.Store)
      await store.ping()
      const want = { 'memory:': 'memory', 'SQLite (a temporary file)': 'sqlite', PostgreSQL: 'postgres' }[backend.name]
      if (want) assert.equal(store.backend, want)
      else assert.match(store.backend, /^redis\+postgres/)
      assert.equal(store.closed, false)
    })

    test('leads: round trip, versions, conflicts, validation, queries, imports, activities, cursors, ledger, consent, LGPD', async () => {
      const tenant = randomUUID()
      const lead = await store.insertLead(tenant, aLead(1))
      assert.equal(lead.version, 1)
      assert.equal(lead.contact.email, 'Ana1@exemplo.com.br')
      assert.equal(lead.contact.phone, '+5511987650001')
      assert.ok(lead.created_at instanceof Date && lead.updated_at instanceof Date)
      assert.equal(lead.created_at.toISOString(), '2026-11-01T12:00:00.000Z')
      assert.deepEqual(await store.getLead(tenant, lead.id), lead)
      assert.equal(await store.getLead(randomUUID(), lead.id), null, 'another tenant sees nothing')

      const updated = await store.updateLead(tenant, { ...lead, stage: 'contacted' })
      assert.equal(updated.version, 2)
      assert.equal(updated.stage, 'contacted')
      // still carries version 1
      await rejects(store.updateLead(tenant, { ...lead, stage: 'qualified' }), crm.ConflictError, 'store.conflict')
      await assert.rejects(store.updateLead(tenant, lead), crm.StoreError)

      await assert.rejects(store.insertLead(tenant, aLead(2, { contact: { name: '', email: 'nope' } })), (e) => {
        assert.ok(e instanceof crm.ValidationError, e.message)
        const paths = new Set(e.errors.map((f) => f.path))
        assert.ok(paths.has('contact.name') && paths.has('contact.email'), [...paths].join(', '))
        return true
      })

      const page = await store.findLeads(tenant, { phone: '(11) 98765-0001' })
      assert.deepEqual(page.items.map((x) => x.id), [lead.id])
      assert.equal(page.nextCursor, null)
      assert.equal((await store.findLeads(tenant, { limit: 1 })).items.length, 1)

      const portal = aLead(3, { source: { type: 'portal', portal: 'zap', external_id: 'Z-1' } })
      const report = await store.importLeads(tenant, [portal, aLead(4)])
      assert.deepEqual(report.inserted, [0, 1])
      assert.deepEqual(report.existing, [])
      const again = await store.importLeads(tenant, [{ ...portal, id: randomUUID() }])
      assert.deepEqual(again.existing, [0], 'the same portal lead delivered again')
      assert.deepEqual(again.inserted, [])
      assert.equal(again.ids[0], portal.id)
      assert.equal((await store.findLeadByPortal(tenant, 'zap', 'Z-1')).id, portal.id)
      assert.equal(await store.findLeadByPortal(tenant, 'zap', 'Z-2'), null)

      const act = await store.addActivity(tenant, { id: randomUUID(), lead_id: lead.id, kind: 'call', at: NOW, note: 'ligou' })
      assert.ok(act.at instanceof Date && act.at.getTime() === NOW.getTime())
      assert.deepEqual((await store.listActivities(tenant, lead.id)).map((a) => a.id), [act.id])
      await rejects(store.addActivity(tenant, { id: randomUUID(), lead_id: randomUUID(), kind: 'call', at: NOW }), crm.NotFoundError, 'store.not_found')

      assert.deepEqual([await store.nextCursor(tenant, 'rr'), await store.nextCursor(tenant, 'rr'), await store.nextCursor(tenant, 'rr')], [0, 1, 2])
      assert.equal(await store.addToCounter(tenant, 'open', 2), 2)
      assert.equal(await store.addToCounter(tenant, 'open', -1), 1)
      assert.equal(await store.counter(tenant, 'open'), 1)

      const entry = ledgerEntry()
      const fresh = { id: randomUUID(), recorded_at: NOW, entry }
      const stored = await store.appendLedger(tenant, [fresh])
      assert.equal(stored.length, 1)
      assert.deepEqual(stored[0].entry, entry)
      assert.ok(stored[0].recorded_at instanceof Date)
      assert.deepEqual(await store.appendLedger(tenant, [fresh]), stored, 'a retry is a no-op')
      assert.deepEqual(await store.ledgerForDeal(tenant, entry.deal_id), stored)

      const consented = await store.recordConsent(tenant, lead.id, { purpose: 'marketing', granted_at: NOW, text_version: 'v1', channel: 'site' }, { actor: 'form' })
      assert.equal(consented.consents.length, 1)
      assert.ok(consented.consents[0].granted_at instanceof Date)
      assert.equal(consented.consents[0].revoked_at, undefined)
      const revoked = await store.revokeConsent(tenant, lead.id, 'marketing', { actor: 'dpo', at: NOW })
      assert.ok(revoked.consents[0].revoked_at instanceof Date)
      assert.equal(revoked.marketing_opt_in, false)

      const exported = await store.exportSubject(tenant, { email: 'ana1@exemplo.com.br' }, { now: NOW })
      assert.equal(exported.leads.length, 1)
      assert.equal(exported.activities.length, 1)
      assert.ok(exported.exported_at instanceof Date)
      assert.deepEqual(exported.subject, { by: 'email', value: 'ana1@exemplo.com.br' })
      const erased = await store.eraseSubject(tenant, { phone: '(11) 98765-0001' }, { actor: 'dpo', now: NOW })
      assert.deepEqual(erased.leads, [lead.id])
      assert.deepEqual((await store.findLeads(tenant, { phone: '(11) 98765-0001' })).items, [])
      assert.deepEqual((await store.findLeads(tenant, { email: 'ana1@exemplo.com.br' })).items, [])
      const gone = await store.getLead(tenant, lead.id)
      assert.ok(gone !== null)
      assert.equal(gone.contact.email, undefined)
      const audit = await store.findAudit(tenant, { recordId: lead.id })
      assert.ok(audit.items.some((e) => e.action === 'lgpd.erase'), audit.items.map((e) => e.action).join(', '))
      assert.deepEqual(await store.ledgerForDeal(tenant, entry.deal_id), stored, 'the ledger stays')
    })

    test('agents, properties, deals and visits; list queries; routing state; audit', async () => {
      const tenant = randomUUID()
      const agent = await store.insertAgent(tenant, anAgent())
      assert.equal(agent.version, 1)
      assert.equal((await store.updateAgent(tenant, { ...agent, team: 'Moema' })).version, 2)
      const prop = await store.insertProperty(tenant, aProperty())
      assert.equal(typeof prop.sale_price.amount, 'string')
      assert.ok(decEq(prop.sale_price.amount, '850000.00'))
      assert.ok(decEq(prop.private_area_m2, '84.5'))
      assert.ok(prop.updated_at instanceof Date)
      assert.deepEqual(await store.getProperty(tenant, prop.id), prop)
      assert.equal((await store.updateProperty(tenant, { ...prop, bedrooms: 3 })).version, 2)
      const lead = await store.insertLead(tenant, aLead(50))
      const deal = await store.insertDeal(tenant, aDeal(lead, prop, agent))
      assert.deepEqual(await store.getDeal(tenant, deal.id), deal)
      assert.equal(deal.proposed_on, '2026-11-02', 'calendar dates stay ISO text')
      assert.equal(deal.value.amount, '850000.00')
      assert.equal((await store.updateDeal(tenant, deal)).version, 2)
      await rejects(store.updateDeal(tenant, deal), crm.ConflictError, 'store.conflict')
      const visit = await store.insertVisit(tenant, {
        id: randomUUID(),
        lead_id: lead.id,
        property_id: prop.id,
        agent_id: agent.id,
        starts_at: new Date('2026-11-03T12:00:00Z'),
        ends_at: '2026-11-03T12:45:00Z',
      })
      assert.ok(visit.starts_at instanceof Date && visit.ends_at instanceof Date)
      assert.deepEqual(await store.getVisit(tenant, visit.id), visit)
      assert.equal((await store.updateVisit(tenant, visit)).version, 2)
      assert.equal(await store.getDeal(tenant, randomUUID()), null)
      assert.equal(await store.getAgent(tenant, randomUUID()), null)

      assert.deepEqual((await store.listAgents(tenant)).map((a) => a.id), [agent.id])
      assert.deepEqual((await store.findProperties(tenant, { city: 'SAO PAULO' })).items.map((p) => p.id), [prop.id])
      assert.deepEqual((await store.findProperties(tenant, { status: 'sold' })).items, [])
      assert.deepEqual((await store.findDeals(tenant, { agent: agent.id })).items.map((d) => d.id), [deal.id])
      assert.deepEqual((await store.findDeals(tenant, { createdFrom: new Date('2026-12-01T00:00:00Z') })).items, [])
      assert.deepEqual((await store.findVisits(tenant, { leadId: lead.id })).items.map((v) => v.id), [visit.id])
      assert.deepEqual((await store.findVisits(tenant, { startsFrom: '2026-11-04T00:00:00Z' })).items, [])
      assert.deepEqual((await store.findDeals(randomUUID(), { agent: agent.id })).items, [], 'another tenant sees nothing')
      await rejects(store.findDeals(tenant, { limit: 0 }), crm.ValidationError, 'input.json', 'query.limit')
      await assert.rejects(store.findDeals(tenant, { limit: 1001 }), crm.ValidationError)

      const { state, version } = await store.loadRoutingState(tenant)
      assert.equal(version, 0)
      assert.deepEqual(state.cursors ?? {}, {})
      assert.equal(await store.saveRoutingState(tenant, { cursors: { zona_sul: 2 } }, 0), 1)
      assert.deepEqual((await store.loadRoutingState(tenant)).state.cursors, { zona_sul: 2 })
      await rejects(store.saveRoutingState(tenant, {}, 0), crm.ConflictError, 'store.conflict')
      assert.equal(await store.counter(tenant, 'open'), 0)

      await store.appendAudit(tenant, {
        id: randomUUID(),
        at: T0,
        actor: 'agent:bruno',
        action: 'deal.update',
        record_kind: 'deal',
        record_id: deal.id,
        detail: { fields: ['status'] },
      })
      const trail = (await store.findAudit(tenant, { recordId: deal.id })).items
      assert.deepEqual(trail.map((e) => e.action), ['deal.update'])
      assert.ok(trail[0].at instanceof Date)
      assert.deepEqual(trail[0].detail, { fields: ['status'] })
      assert.deepEqual(await store.ledgerPage(tenant), [])
      await rejects(
        store.insertVisit(tenant, { id: randomUUID(), lead_id: randomUUID(), property_id: prop.id, agent_id: agent.id, starts_at: T0, ends_at: '2026-11-01T13:00:00Z' }),
        crm.NotFoundError,
        'store.not_found',
      )
    })

    test('duplicates: ids and portal lead ids are refused with DuplicateError', async () => {
      const tenant = randomUUID()
      const lead = aLead(60, { source: { type: 'portal', portal: 'olx', external_id: 'O-9' } })
      await store.insertLead(tenant, lead)
      await rejects(store.insertLead(tenant, lead), crm.DuplicateError, 'store.duplicate')
      await rejects(store.insertLead(tenant, { ...lead, id: randomUUID() }), crm.DuplicateError, 'store.duplicate')
      const agent = anAgent()
      await store.insertAgent(tenant, agent)
      await rejects(store.insertAgent(tenant, agent), crm.DuplicateError, 'store.duplicate')
      const event = { id: randomUUID(), at: NOW, actor: 'system', action: 'lead.update', record_kind: 'lead', record_id: lead.id }
      await store.appendAudit(tenant, event)
      await rejects(store.appendAudit(tenant, event), crm.DuplicateError, 'store.duplicate')
      // The same lead in another tenant is another record.
      assert.equal((await store.insertLead(randomUUID(), lead)).id, lead.id)
    })

    test('keyset pagination: pages follow their cursors, nothing skipped or repeated', async () => {
      const tenant = randomUUID()
      const leads = []
      for (let d = 1; d <= 7; d++) {
        leads.push(await store.insertLead(tenant, aLead(100 + d, { created_at: `2026-11-0${d}T12:00:00Z`, updated_at: `2026-11-0${d}T12:00:00Z` })))
      }
      const seen = []
      const sizes = []
      let after = null
      for (;;) {
        const page = await store.findLeads(tenant, { limit: 3, after })
        sizes.push(page.items.length)
        seen.push(...page.items.map((l) => l.id))
        if (page.nextCursor === null) break
        assert.equal(typeof page.nextCursor, 'string')
        after = page.nextCursor
        // A lead inserted meanwhile, sorted before the cursor, does not shift the pages.
        if (sizes.length === 1) await store.insertLead(tenant, aLead(199, { created_at: '2026-10-01T12:00:00Z', updated_at: '2026-10-01T12:00:00Z' }))
      }
      assert.deepEqual(seen, leads.map((l) => l.id), 'in created_at order')
      assert.ok(sizes.length >= 3 && sizes.every((n) => n <= 3), sizes.join(','))
      await rejects(store.findLeads(tenant, { after: 'garbage' }), crm.StoreError, 'store.cursor', 'query.after')
    })

    test('tenant isolation: tenant B sees and changes nothing of tenant A', async () => {
      const a = randomUUID()
      const b = randomUUID()
      const agent = await store.insertAgent(a, anAgent())
      const prop = await store.insertProperty(a, aProperty())
      const lead = await store.insertLead(a, aLead(70))
      const deal = await store.insertDeal(a, aDeal(lead, prop, agent))
      const entry = ledgerEntry()
      await store.appendLedger(a, [{ id: randomUUID(), recorded_at: NOW, entry }])
      await store.nextCursor(a, 'team')
      await store.addToCounter(a, 'open', 5)
      await store.saveRoutingState(a, { cursors: { zona_sul: 1 } }, 0)
      await store.appendAudit(a, { id: randomUUID(), at: NOW, actor: 'system', action: 'lead.update', record_kind: 'lead', record_id: lead.id })

      assert.equal(await store.getLead(b, lead.id), null)
      assert.equal(await store.getAgent(b, agent.id), null)
      assert.equal(await store.getProperty(b, prop.id), null)
      assert.equal(await store.getDeal(b, deal.id), null)
      assert.deepEqual((await store.findLeads(b)).items, [])
      assert.deepEqual((await store.findLeads(b, { phone: '(11) 98765-0070' })).items, [])
      assert.deepEqual(await store.listAgents(b), [])
      assert.deepEqual((await store.findProperties(b)).items, [])
      assert.deepEqual((await store.findDeals(b)).items, [])
      assert.deepEqual((await store.findAudit(b)).items, [])
      assert.deepEqual(await store.ledgerPage(b), [])
      assert.deepEqual(await store.ledgerForDeal(b, entry.deal_id), [])
      assert.equal(await store.counter(b, 'open'), 0)
      assert.equal(await store.nextCursor(b, 'team'), 0)
      assert.equal((await store.loadRoutingState(b)).version, 0)
      assert.equal((await store.exportSubject(b, { email: 'ana70@exemplo.com.br' })).leads.length, 0)
      assert.deepEqual((await store.eraseSubject(b, { email: 'ana70@exemplo.com.br' })).leads, [])
      // Writes through B cannot reach A's records.
      await rejects(store.updateLead(b, { ...lead, stage: 'lost' }), crm.NotFoundError, 'store.not_found')
      await rejects(store.addActivity(b, { id: randomUUID(), lead_id: lead.id, kind: 'call', at: NOW }), crm.NotFoundError, 'store.not_found')
      await rejects(store.insertDeal(b, aDeal(lead, prop, agent)), crm.NotFoundError, 'store.not_found')
      await assert.rejects(store.recordConsent(b, lead.id, { purpose: 'contact', granted_at: NOW, text_version: 'v1' }), crm.NotFoundError)
      // A is as it was.
      assert.deepEqual(await store.getLead(a, lead.id), lead)
      assert.equal(await store.counter(a, 'open'), 5)
    })

    test('the ledger is append-only: retries are no-ops, a reused id or an unbalanced entry is refused', async () => {
      const tenant = randomUUID()
      assert.equal(store.updateLedger, undefined)
      assert.equal(store.deleteLedger, undefined)
      const entry = ledgerEntry()
      const first = { id: randomUUID(), recorded_at: NOW, entry }
      const second = { id: randomUUID(), recorded_at: NOW, entry: { ...entry, memo: 'second booking' } }
      const stored = await store.appendLedger(tenant, [first, second])
      assert.equal(stored.length, 2)
      assert.ok(stored[0].seq < stored[1].seq)
      assert.deepEqual(await store.appendLedger(tenant, [first]), [stored[0]])
      await rejects(store.appendLedger(tenant, [{ ...first, entry: { ...entry, memo: 'changed' } }]), crm.DuplicateError, 'store.duplicate')
      const postings = entry.postings.map((p, i) => (i === 0 ? { ...p, amount: { ...p.amount, amount: '0.01' } } : p))
      await assert.rejects(store.appendLedger(tenant, [{ id: randomUUID(), recorded_at: NOW, entry: { ...entry, postings } }]), (e) => {
        assert.ok(e instanceof crm.StoreError, e.message)
        assert.equal(e.code, 'store.ledger.unbalanced')
        return true
      })
      // All or none: a batch with a bad entry writes nothing.
      await assert.rejects(store.appendLedger(tenant, [{ id: randomUUID(), recorded_at: NOW, entry }, { id: randomUUID(), recorded_at: NOW, entry: { ...entry, postings } }]))
      const all = await store.ledgerPage(tenant)
      assert.deepEqual(all, stored)
      assert.deepEqual(await store.ledgerPage(tenant, { afterSeq: stored[0].seq, limit: 10 }), [stored[1]])
      for (const p of all[0].entry.postings) assert.equal(typeof p.amount.amount, 'string')
    })

    test('routing state: compare-and-swap lets exactly one of two writers win; cursors never repeat', async () => {
      const tenant = randomUUID()
      const { version } = await store.loadRoutingState(tenant)
      assert.equal(version, 0)
      const results = await Promise.allSettled([
        store.saveRoutingState(tenant, { cursors: { zona_sul: 1 } }, 0),
        store.saveRoutingState(tenant, { cursors: { zona_sul: 7 } }, 0),
      ])
      const won = results.filter((r) => r.status === 'fulfilled')
      const lost = results.filter((r) => r.status === 'rejected')
      assert.equal(won.length, 1)
      assert.equal(won[0].value, 1)
      assert.equal(lost.length, 1)
      assert.ok(lost[0].reason instanceof crm.ConflictError)
      const now = await store.loadRoutingState(tenant)
      assert.equal(now.version, 1)
      assert.equal(await store.saveRoutingState(tenant, { ...now.state, next_offer_id: 3 }, now.version), 2)
      assert.equal((await store.loadRoutingState(tenant)).state.next_offer_id, 3)

      const turns = await Promise.all(Array.from({ length: 20 }, () => store.nextCursor(tenant, 'team:zona_sul')))
      assert.deepEqual([...turns].sort((x, y) => x - y), Array.from({ length: 20 }, (_, i) => i))
      const counts = await Promise.all(Array.from({ length: 10 }, () => store.addToCounter(tenant, 'open', 1)))
      assert.equal(Math.max(...counts), 10)
      assert.equal(await store.counter(tenant, 'open'), 10)
    })

    test('concurrent calls run off the event loop and each settles with its own result', async () => {
      const tenant = randomUUID()
      let ticks = 0
      const timer = setInterval(() => ticks++, 0)
      try {
        const leads = await Promise.all(Array.from({ length: 40 }, (_, i) => store.insertLead(tenant, aLead(300 + i))))
        assert.ok(leads.every((l) => l.version === 1))
        const got = await Promise.all(leads.map((l) => store.getLead(tenant, l.id)))
        assert.deepEqual(got, leads)
      } finally {
        clearInterval(timer)
      }
      assert.ok(ticks > 0, 'timers ran while the store worked')
      const page = await store.findLeads(tenant, { phone: '(11) 98765-0312' })
      assert.equal(page.items.length, 1)
    })

    test('bad records reject the Promise with coded errors at their paths', async () => {
      const tenant = randomUUID()
      await rejects(store.insertLead(tenant, undefined), crm.ValidationError, 'input.json')
      await rejects(store.insertLead(tenant, null), crm.ValidationError, 'input.json')
      await rejects(store.insertLead(undefined, aLead(1)), crm.ValidationError, 'input.json', 'tenant')
      await rejects(store.insertLead('not-a-tenant', aLead(1)), crm.ValidationError, 'input.json', 'tenant')
      await rejects(
        store.insertLead(tenant, aLead(1, { budget: { max: { amount: 500000, currency: 'BRL' } } })),
        crm.ValidationError,
        'validation.money.format',
        'budget.max.amount',
      )
      await rejects(store.insertLead(tenant, aLead(1, { min_bedrooms: NaN })), crm.ValidationError, 'input.json', 'min_bedrooms')
      await rejects(store.insertLead(tenant, aLead(1, { created_at: new Date('nope') })), crm.ValidationError, 'input.json', 'created_at')
      await rejects(store.insertLead(tenant, aLead(1, { surprise: true })), crm.ValidationError, 'input.json')
      // A fractional number is refused while the record is read, a whole one after it: both are
      // money.format at the number's path.
      await rejects(
        store.insertProperty(tenant, aProperty({ sale_price: { amount: 1.5, currency: 'BRL' } })),
        crm.ValidationError,
        'validation.money.format',
        'sale_price.amount',
      )
      await rejects(store.insertProperty(tenant, aProperty({ sale_price: { amount: 850000, currency: 'BRL' } })), crm.ValidationError, 'validation.money.format', 'sale_price.amount')
      await rejects(store.getLead(tenant, 'not-a-uuid'), crm.ValidationError, 'input.json', 'id')
      await rejects(store.getLead(tenant, 42), crm.ValidationError, 'input.json', 'id')
      await rejects(store.findLeads(tenant, { bogus: 1 }), crm.ValidationError, 'input.json', 'query.bogus')
      await rejects(store.findLeads(tenant, { assigned_agent: 'x' }), crm.ValidationError, 'input.json', 'query.assigned_agent')
      await rejects(store.findLeads(tenant, 'phone'), crm.ValidationError, 'input.json', 'query')
      await rejects(store.findLeads(tenant, { createdFrom: new Date(NaN) }), crm.ValidationError, 'input.json', 'query.createdFrom')
      await rejects(store.addToCounter(tenant, 'k', 1.5), crm.ValidationError, 'input.json', 'delta')
      await rejects(store.addToCounter(tenant, 'k', '1'), crm.ValidationError, 'input.json', 'delta')
      await rejects(store.saveRoutingState(tenant, {}, -1), crm.ValidationError, 'input.json', 'expectedVersion')
      await rejects(store.saveRoutingState(tenant, { bogus: 1 }, 0), crm.ValidationError, 'input.json')
      await rejects(store.exportSubject(tenant, { email: 'a@b.c', phone: '11987654321' }), crm.ValidationError, 'input.json', 'subject')
      await rejects(store.exportSubject(tenant, { name: 'Ana' }), crm.ValidationError, 'input.json', 'subject.name')
      await rejects(store.revokeConsent(tenant, randomUUID(), 'spam'), crm.ValidationError, 'input.json', 'purpose')
      await rejects(store.importLeads(tenant, 'leads'), crm.ValidationError, 'input.json')
      await assert.rejects(store.importLeads(tenant, [aLead(1), aLead(2, { contact: { name: 'B', email: 'nope' } })]), (e) => {
        assert.ok(e instanceof crm.ValidationError)
        assert.ok(e.errors.some((f) => f.path === '[1].contact.email'), JSON.stringify(e.errors))
        return true
      })
      assert.deepEqual((await store.findLeads(tenant)).items, [], 'nothing was written by the failed calls')
    })
  })
}

// --- opening, closing and failures outside any backend ---------------------------------------

test('bad URLs and options reject openStore with coded errors', async () => {
  await rejects(crm.openStore(42), crm.ValidationError, 'input.json', 'url')
  await rejects(crm.openStore(undefined), crm.ValidationError, 'input.json', 'url')
  await rejects(crm.openStore('mysql://x'), crm.StoreError, 'store.config')
  await rejects(crm.openStore('memory:', 'fast'), crm.ValidationError, 'input.json', 'options')
  await rejects(crm.openStore('memory:', { poolSize: 'x' }), crm.ValidationError, 'input.json')
  await rejects(crm.openStore('memory:', { poolSize: -1 }), crm.ValidationError, 'input.json')
  await rejects(crm.openStore('memory:', { pool_size: 2 }), crm.ValidationError, 'input.json')
  await rejects(crm.openStore('memory:', { poolSize: NaN }), crm.ValidationError, 'input.json', 'options.poolSize')
  await rejects(crm.openStore('memory:', { cache: 'memcached://x' }), crm.StoreError, 'store.config')
  const s = await crm.openStore(' memory: ', { poolSize: 2, cache: null })
  assert.equal(s.backend, 'memory')
})

test('an unreachable PostgreSQL port is StoreUnavailableError', async () => {
  await rejects(
    crm.openStore('postgres://postgres@127.0.0.1:1/none', { connectTimeoutMs: 1000, acquireTimeoutMs: 1000 }),
    crm.StoreUnavailableError,
    'store.unavailable',
  )
})

test('a closed store rejects every call with StoreUnavailableError; closing twice is fine', async () => {
  const s = await crm.openStore(`sqlite://${path.join(tmp, 'closed.db')}`)
  const tenant = randomUUID()
  const lead = await s.insertLead(tenant, aLead(1))
  const pending = s.getLead(tenant, lead.id)
  await s.close()
  assert.deepEqual(await pending, lead, 'a call in flight answers')
  assert.equal(s.closed, true)
  await rejects(s.getLead(tenant, lead.id), crm.StoreUnavailableError, 'store.unavailable')
  await rejects(s.ping(), crm.StoreUnavailableError, 'store.unavailable')
  await s.close()
  // The file keeps what was written.
  const again = await crm.openStore(`sqlite://${path.join(tmp, 'closed.db')}`)
  assert.deepEqual(await again.getLead(tenant, lead.id), lead)
  await again.close()
})

test('a panic inside a store task rejects with InternalError, and the store goes on', async () => {
  const s = await crm.openStore('memory:')
  await rejects(s._testPanic(), crm.InternalError, 'internal.panic')
  await s.ping()
  assert.equal((await s.insertLead(randomUUID(), aLead(1))).version, 1)
})

test('a Store is made by openStore only', () => {
  assert.throws(() => new crm.Store(), crm.ValidationError)
})
