'use strict'
// The store of realestate-crm for Node: `openStore(url, options)` and the `Store` class, over the
// native `NativeStore` (src/store.rs). Conversions only, as in the rest of the package:
//   * records go down as JSON text and come back through JSON.parse, instants as Dates;
//   * every method returns a Promise; the native call runs on the library's one tokio runtime
//     (never on the event loop or a libuv worker) and settles on the JS thread, where a failure
//     becomes the package's coded error object (`ConflictError` with `store.conflict`, …);
//   * bad arguments reject the Promise too (every method is async), with a coded error.
// Records keep the core's snake_case field names; methods, options and query filters are
// camelCase (`findLeads(tenant, { assignedAgent, createdFrom, limit, after })`).
//
// index.cjs calls this module's function once with its helpers (argument checks, JSON in and
// out) and exports what it returns, so the store shares them instead of copying them.

module.exports = function storeApi(h) {
  const { native, inputError, str, int, opts, instant, toJson, column, parse, parseDates, describe } = h

  // --- arguments ------------------------------------------------------------------------------

  const tenantArg = (t) => str(t, 'tenant')
  const record = (r) => toJson(r, '')
  const optRecord = (text) => parseDates(text)

  function intArg(v, path, min = 0) {
    return int(v, path, min)
  }

  /** A whole number, negative ones included (counter deltas). */
  function signedInt(v, path) {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
      throw inputError(path, `expected an integer, not ${describe(v)}${typeof v === 'number' ? ` ${v}` : ''}`)
    }
    return v
  }

  const text = (v, path) => str(v, path)
  const when = (v, path) => instant(v, path)

  // Query filters: camelCase names, each with the core's field name and how its value is read.
  const FILTERS = {
    leads: {
      stage: ['stage', text],
      assignedAgent: ['assigned_agent', text],
      createdFrom: ['created_from', when],
      createdTo: ['created_to', when],
      email: ['email', text],
      phone: ['phone', text],
      document: ['document', text],
      name: ['name', text],
    },
    properties: {
      status: ['status', text],
      listing: ['listing', text],
      city: ['city', text],
      listingBroker: ['listing_broker', text],
    },
    deals: {
      status: ['status', text],
      agent: ['agent', text],
      leadId: ['lead_id', text],
      propertyId: ['property_id', text],
      createdFrom: ['created_from', when],
      createdTo: ['created_to', when],
    },
    visits: {
      leadId: ['lead_id', text],
      agentId: ['agent_id', text],
      propertyId: ['property_id', text],
      status: ['status', text],
      startsFrom: ['starts_from', when],
      startsTo: ['starts_to', when],
    },
    audit: {
      recordId: ['record_id', text],
      actor: ['actor', text],
      from: ['from', when],
      to: ['to', when],
    },
  }
  const PAGING = { limit: ['limit', (v, p) => intArg(v, p, 1)], after: ['after', text] }

  /** A query as the core's JSON: filters renamed, values checked, null/undefined left out. */
  function query(kind, q) {
    const given = opts(q, 'query')
    const known = FILTERS[kind]
    const out = {}
    for (const key of Object.keys(given)) {
      const spec = known[key] || PAGING[key]
      if (spec === undefined) {
        const names = [...Object.keys(known), 'limit', 'after'].join(', ')
        throw inputError(`query.${key}`, `unknown filter "${key}"; the filters are ${names}`)
      }
      const v = given[key]
      if (v === undefined || v === null) continue
      out[spec[0]] = spec[1](v, `query.${key}`)
    }
    return JSON.stringify(out)
  }

  /** A page: `{items, nextCursor}` (`nextCursor` null on the last page). */
  function page(json) {
    const p = parseDates(json)
    return { items: p.items, nextCursor: p.next === undefined ? null : p.next }
  }

  const SUBJECT_KEYS = ['email', 'phone', 'document']
  /** `{email}`, `{phone}` or `{document}`: exactly one identifier of the data subject. */
  function subject(s) {
    if (s === null || typeof s !== 'object' || Array.isArray(s)) {
      throw inputError('subject', `expected {email}, {phone} or {document}, not ${describe(s)}`)
    }
    const keys = Object.keys(s).filter((k) => s[k] !== undefined && s[k] !== null)
    const unknown = keys.find((k) => !SUBJECT_KEYS.includes(k))
    if (unknown !== undefined) throw inputError(`subject.${unknown}`, `unknown identifier "${unknown}": use email, phone or document`)
    if (keys.length !== 1) throw inputError('subject', 'give exactly one of email, phone, document')
    const by = keys[0]
    return JSON.stringify({ by, value: str(s[by], `subject.${by}`) })
  }

  const actorOf = (o) => (o.actor === undefined || o.actor === null ? 'system' : str(o.actor, 'options.actor'))
  const nowOf = (v, path) => (v === undefined || v === null ? new Date().toISOString() : instant(v, path))

  // --- opening --------------------------------------------------------------------------------

  const NATIVE = Symbol('NativeStore')

  /**
   * Opens the store `url` names — `memory:`, `sqlite://path/to/crm.db`, `sqlite::memory:`,
   * `postgres://user@host/db` — applying migrations unless `migrate: false`; with
   * `cache: 'redis://…'` behind a read-through Redis cache.
   */
  async function openStore(url, options) {
    const u = str(url, 'url')
    const o = opts(options, 'options')
    return new Store(NATIVE, await native.openStore(u, toJson(o, 'options')))
  }

  /** An open store. Every method takes the tenant (a UUID) first and returns a Promise. */
  class Store {
    #n
    constructor(token, nativeStore) {
      if (token !== NATIVE) throw inputError('', 'a Store is made by openStore(url, options), not new Store()')
      this.#n = nativeStore
    }

    /** `memory`, `sqlite`, `postgres`, or `redis+…` for a cached store. */
    get backend() {
      return this.#n.backend
    }
    /** Whether {@link Store#close} was called. */
    get closed() {
      return this.#n.closed
    }
    /** Lets go of the store (its pools close once calls in flight answer); later calls reject. */
    async close() {
      await this.#n.close()
    }
    /** Checks that the backend answers (`StoreUnavailableError` otherwise). */
    async ping() {
      await this.#n.ping()
    }

    // agents
    async insertAgent(tenant, agent) {
      return parseDates(await this.#n.insertAgent(tenantArg(tenant), record(agent)))
    }
    async getAgent(tenant, id) {
      return optRecord(await this.#n.getAgent(tenantArg(tenant), str(id, 'id')))
    }
    async updateAgent(tenant, agent) {
      return parseDates(await this.#n.updateAgent(tenantArg(tenant), record(agent)))
    }
    async listAgents(tenant) {
      return parseDates(await this.#n.listAgents(tenantArg(tenant)))
    }

    // leads and activities
    async insertLead(tenant, lead) {
      return parseDates(await this.#n.insertLead(tenantArg(tenant), record(lead)))
    }
    async getLead(tenant, id) {
      return optRecord(await this.#n.getLead(tenantArg(tenant), str(id, 'id')))
    }
    async updateLead(tenant, lead) {
      return parseDates(await this.#n.updateLead(tenantArg(tenant), record(lead)))
    }
    async findLeads(tenant, q) {
      return page(await this.#n.findLeads(tenantArg(tenant), query('leads', q)))
    }
    async findLeadByPortal(tenant, portal, portalLeadId) {
      return optRecord(await this.#n.findLeadByPortal(tenantArg(tenant), str(portal, 'portal'), str(portalLeadId, 'portalLeadId')))
    }
    async importLeads(tenant, leads) {
      return parse(await this.#n.importLeads(tenantArg(tenant), toJson(column(leads, ''), '')))
    }
    async addActivity(tenant, activity) {
      return parseDates(await this.#n.addActivity(tenantArg(tenant), record(activity)))
    }
    async listActivities(tenant, leadId) {
      return parseDates(await this.#n.listActivities(tenantArg(tenant), str(leadId, 'leadId')))
    }

    // properties, deals, visits
    async insertProperty(tenant, property) {
      return parseDates(await this.#n.insertProperty(tenantArg(tenant), record(property)))
    }
    async getProperty(tenant, id) {
      return optRecord(await this.#n.getProperty(tenantArg(tenant), str(id, 'id')))
    }
    async updateProperty(tenant, property) {
      return parseDates(await this.#n.updateProperty(tenantArg(tenant), record(property)))
    }
    async findProperties(tenant, q) {
      return page(await this.#n.findProperties(tenantArg(tenant), query('properties', q)))
    }
    async insertDeal(tenant, deal) {
      return parseDates(await this.#n.insertDeal(tenantArg(tenant), record(deal)))
    }
    async getDeal(tenant, id) {
      return optRecord(await this.#n.getDeal(tenantArg(tenant), str(id, 'id')))
    }
    async updateDeal(tenant, deal) {
      return parseDates(await this.#n.updateDeal(tenantArg(tenant), record(deal)))
    }
    async findDeals(tenant, q) {
      return page(await this.#n.findDeals(tenantArg(tenant), query('deals', q)))
    }
    async insertVisit(tenant, visit) {
      return parseDates(await this.#n.insertVisit(tenantArg(tenant), record(visit)))
    }
    async getVisit(tenant, id) {
      return optRecord(await this.#n.getVisit(tenantArg(tenant), str(id, 'id')))
    }
    async updateVisit(tenant, visit) {
      return parseDates(await this.#n.updateVisit(tenantArg(tenant), record(visit)))
    }
    async findVisits(tenant, q) {
      return page(await this.#n.findVisits(tenantArg(tenant), query('visits', q)))
    }

    // the commission ledger (append-only)
    async appendLedger(tenant, entries) {
      return parseDates(await this.#n.appendLedger(tenantArg(tenant), toJson(column(entries, ''), '')))
    }
    async ledgerForDeal(tenant, dealId) {
      return parseDates(await this.#n.ledgerForDeal(tenantArg(tenant), str(dealId, 'dealId')))
    }
    async ledgerPage(tenant, options) {
      const o = opts(options, 'options')
      const after = o.afterSeq === undefined || o.afterSeq === null ? null : intArg(o.afterSeq, 'options.afterSeq')
      const limit = o.limit === undefined || o.limit === null ? 100 : intArg(o.limit, 'options.limit', 1)
      return parseDates(await this.#n.ledgerPage(tenantArg(tenant), after, Math.min(limit, 0xffffffff)))
    }

    // routing: shared cursors and counters, the routing document with compare-and-swap
    async nextCursor(tenant, key) {
      return parse(await this.#n.nextCursor(tenantArg(tenant), str(key, 'key')))
    }
    async addToCounter(tenant, key, delta) {
      return parse(await this.#n.addToCounter(tenantArg(tenant), str(key, 'key'), signedInt(delta, 'delta')))
    }
    async counter(tenant, key) {
      return parse(await this.#n.counter(tenantArg(tenant), str(key, 'key')))
    }
    async loadRoutingState(tenant) {
      const v = parseDates(await this.#n.loadRoutingState(tenantArg(tenant)))
      return { state: v.value, version: v.version }
    }
    async saveRoutingState(tenant, state, expectedVersion) {
      return parse(await this.#n.saveRoutingState(tenantArg(tenant), toJson(state, 'state'), intArg(expectedVersion, 'expectedVersion')))
    }

    // the audit log (append-only)
    async appendAudit(tenant, event) {
      await this.#n.appendAudit(tenantArg(tenant), toJson(event, 'event'))
    }
    async findAudit(tenant, q) {
      return page(await this.#n.findAudit(tenantArg(tenant), query('audit', q)))
    }

    // LGPD
    async exportSubject(tenant, who, options) {
      const o = opts(options, 'options')
      return parseDates(await this.#n.exportSubject(tenantArg(tenant), subject(who), nowOf(o.now, 'options.now')))
    }
    async eraseSubject(tenant, who, options) {
      const o = opts(options, 'options')
      return parse(await this.#n.eraseSubject(tenantArg(tenant), subject(who), actorOf(o), nowOf(o.now, 'options.now')))
    }
    async recordConsent(tenant, leadId, consent, options) {
      const o = opts(options, 'options')
      return parseDates(await this.#n.recordConsent(tenantArg(tenant), str(leadId, 'leadId'), toJson(consent, 'consent'), actorOf(o)))
    }
    async revokeConsent(tenant, leadId, purpose, options) {
      const o = opts(options, 'options')
      return parseDates(
        await this.#n.revokeConsent(tenantArg(tenant), str(leadId, 'leadId'), str(purpose, 'purpose'), actorOf(o), nowOf(o.at, 'options.at')),
      )
    }

    /** Panics inside a store task (tests only): rejects with an `InternalError` (`internal.panic`). */
    async _testPanic() {
      await this.#n._testPanic()
    }
  }

  return { openStore, Store }
}
