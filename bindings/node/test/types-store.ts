// A typed usage of the store, checked with `tsc --noEmit` in strict mode (never run). It fails to
// compile if the store's declarations drift from how the API is meant to be used.
import * as crm from 'realestate-crm'
import type { Lead, Page, Store, StoreOptions, StoredLedgerEntry, Decimal, Id } from 'realestate-crm'

const options: StoreOptions = { cache: 'redis://127.0.0.1:6379', poolSize: 4, acquireTimeoutMs: 2000, schema: 'crm', appRole: null, cacheTtlSeconds: 60 }
// @ts-expect-error timeouts are numbers of milliseconds, not text
const badOptions: StoreOptions = { acquireTimeoutMs: '2s' }
void badOptions

async function service(tenant: Id): Promise<void> {
  const store: Store = await crm.openStore('sqlite:///var/lib/crm/crm.db', options)
  const backend: string = store.backend

  // Records in: instants as Date or RFC 3339 text, money as decimal strings.
  const lead = await store.insertLead(tenant, {
    id: '0190f3a0-0000-7000-8000-000000000001',
    contact: { name: 'Ana Souza', phone: '(11) 98765-4321' },
    budget: { max: { amount: '500000.00', currency: 'BRL' } },
    created_at: new Date(),
    updated_at: '2026-05-04T12:00:00Z',
  })
  // Records out: Dates, decimal strings, a version.
  const created: Date = lead.created_at
  const version: number = lead.version
  const max: Decimal | undefined = lead.budget?.max?.amount
  const again: Lead | null = await store.getLead(tenant, lead.id)
  // @ts-expect-error money is never a number
  await store.insertLead(tenant, { ...lead, budget: { max: { amount: 500000, currency: 'BRL' } } })

  // Optimistic concurrency: a stale version is a ConflictError.
  try {
    await store.updateLead(tenant, { ...lead, stage: 'contacted' })
  } catch (e) {
    if (e instanceof crm.ConflictError) {
      const code: string = e.code
      void code
    }
  }

  // Queries: camelCase filters, keyset pages.
  let page: Page<Lead> = await store.findLeads(tenant, { phone: '(11) 98765-4321', createdFrom: new Date(0), limit: 50 })
  while (page.nextCursor !== null) page = await store.findLeads(tenant, { after: page.nextCursor })
  // @ts-expect-error query filters are camelCase
  await store.findLeads(tenant, { assigned_agent: 'x' })
  const deals = await store.findDeals(tenant, { status: 'closed', agent: lead.id })
  const firstDeal: Decimal | undefined = deals.items[0]?.value.amount
  const report = await store.importLeads(tenant, [lead])
  const existing: number[] = report.existing

  // Ledger, routing state, counters, audit.
  const stored: StoredLedgerEntry[] = await store.ledgerPage(tenant, { afterSeq: 0, limit: 100 })
  const seq: number | undefined = stored[0]?.seq
  const { state, version: routingVersion } = await store.loadRoutingState(tenant)
  const next: number = await store.saveRoutingState(tenant, state, routingVersion)
  const turn: number = await store.nextCursor(tenant, 'team:zona_sul')
  const open: number = await store.addToCounter(tenant, 'open', -1)
  const trail = await store.findAudit(tenant, { recordId: lead.id })
  const at: Date | undefined = trail.items[0]?.at

  // LGPD: one identifier of the subject.
  const exported = await store.exportSubject(tenant, { email: 'ana@example.com' }, { now: new Date() })
  const exportedAt: Date = exported.exported_at
  const erased: Id[] = (await store.eraseSubject(tenant, { phone: '(11) 98765-4321' }, { actor: 'dpo' })).leads
  // @ts-expect-error a subject is found by an identifier it gave
  await store.exportSubject(tenant, { name: 'Ana' })
  const consented: Lead = await store.revokeConsent(tenant, lead.id, 'marketing', { actor: 'dpo', at: new Date() })

  await store.close()
  const closed: boolean = store.closed
  void [backend, created, version, max, again, firstDeal, existing, seq, next, turn, open, at, exportedAt, erased, consented, closed]
}
void service

// A Store is only made by openStore.
// @ts-expect-error the constructor is private
new crm.Store()
