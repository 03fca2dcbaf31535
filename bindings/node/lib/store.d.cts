// Types of the store (lib/store.cjs), re-exported by index.d.cts. The conventions of the rest of
// the package: records keep the core's snake_case fields, instants are `Date` in results and
// `Date | string` in arguments, money is `Decimal` strings; methods, options and query filters
// are camelCase. Every method returns a Promise; a failure rejects it with a `CrmError`
// subclass (`ConflictError` for `store.conflict`, `NotFoundError`, `DuplicateError`,
// `StoreUnavailableError`, `ValidationError` with every problem, `StoreError` otherwise).

import type {
  Activity,
  Agent,
  Consent,
  ConsentPurpose,
  Deal,
  DealStatus,
  Id,
  Input,
  InstantInput,
  Json,
  Lead,
  LedgerEntry,
  ListingKind,
  Property,
  PropertyStatus,
  RoutingState,
  Visit,
  VisitStatus,
} from './index.cjs'

/** How to open a store (every field optional; the defaults suit a service). */
export interface StoreOptions {
  /** A Redis URL (`redis://host:6379`): the store behind a read-through cache. */
  cache?: string | null
  /** Largest number of pooled connections (SQLite: readers); 10 by default. */
  poolSize?: number
  /** How long a call waits for a pooled connection before `store.unavailable`; 5000 ms. */
  acquireTimeoutMs?: number
  /** How long opening a connection may take before `store.unavailable`; 5000 ms. */
  connectTimeoutMs?: number
  /** Apply the embedded migrations on open (true by default). */
  migrate?: boolean
  /** PostgreSQL: the schema to keep the tables in (created if missing); `public` by default. */
  schema?: string | null
  /** PostgreSQL: the role queries run as (`crm_app` by default, so row-level security applies); null for the login role. */
  appRole?: string | null
  /** Redis cache: how long a cached record lives; 300 s. */
  cacheTtlSeconds?: number
  /** Redis cache: how long one Redis call may take before the cache is bypassed; 250 ms. */
  cacheTimeoutMs?: number
  /** Redis cache: the prefix of every key (to share one Redis between deployments); `crm`. */
  cachePrefix?: string
}

/** Where a page ends: an opaque string to pass as `after` for the next page. */
export type Cursor = string

/** One page of a list, in order; `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[]
  nextCursor: Cursor | null
}

/** Size and start of a page: 1 to 1000 rows (50 by default), after a cursor. */
export interface PageQuery {
  limit?: number
  after?: Cursor | null
}

/** Leads by every filter given, by `created_at` then id. Phones, e-mails and documents match in any usual format; `name` matches a part, ignoring case and accents. */
export interface LeadQuery extends PageQuery {
  stage?: string | null
  assignedAgent?: Id | null
  createdFrom?: InstantInput | null
  createdTo?: InstantInput | null
  email?: string | null
  phone?: string | null
  document?: string | null
  name?: string | null
}
/** Properties, by `created_at` then id; `city` ignores case and accents. */
export interface PropertyQuery extends PageQuery {
  status?: PropertyStatus | null
  listing?: ListingKind | null
  city?: string | null
  listingBroker?: Id | null
}
/** Deals, by `created_at` then id; `agent` matches any role. */
export interface DealQuery extends PageQuery {
  status?: DealStatus | null
  agent?: Id | null
  leadId?: Id | null
  propertyId?: Id | null
  createdFrom?: InstantInput | null
  createdTo?: InstantInput | null
}
/** Visits, by `starts_at` then id. */
export interface VisitQuery extends PageQuery {
  leadId?: Id | null
  agentId?: Id | null
  propertyId?: Id | null
  status?: VisitStatus | null
  startsFrom?: InstantInput | null
  startsTo?: InstantInput | null
}
/** Audit events, by `at` then id. */
export interface AuditQuery extends PageQuery {
  recordId?: Id | null
  actor?: string | null
  from?: InstantInput | null
  to?: InstantInput | null
}

/** What a bulk import did, by position: the stored lead's id of each, and which were new. */
export interface ImportReport {
  ids: Id[]
  /** Positions inserted. */
  inserted: number[]
  /** Positions already stored (same id, or same portal lead id): left unchanged. */
  existing: number[]
}

/** A ledger entry to append; `id` is its idempotency key. */
export interface NewLedgerEntry {
  id: Id
  recorded_at: InstantInput
  entry: LedgerEntry
}
/** A ledger entry as stored, with its place `seq` in the tenant's ledger. */
export interface StoredLedgerEntry {
  id: Id
  seq: number
  recorded_at: Date
  entry: LedgerEntry
}

export type StoredKind = 'agent' | 'lead' | 'activity' | 'property' | 'deal' | 'visit' | 'ledger_entry' | 'audit_event' | 'routing_state'
/** One line of the audit log (`detail` must hold no personal data). */
export interface AuditEvent {
  id: Id
  at: Date
  actor: string
  /** Dotted: `lead.update`, `lgpd.erase`, `consent.revoke`. */
  action: string
  record_kind: StoredKind
  record_id: Id
  detail?: Json
}

/** A data subject, by exactly one of the identifiers they gave. */
export type Subject = { email: string } | { phone: string } | { document: string }

/** Everything held about a data subject (LGPD art. 18, II). */
export interface SubjectExport {
  subject: { by: 'email' | 'phone' | 'document'; value: string }
  exported_at: Date
  leads: Lead[]
  activities: Activity[]
  visits: Visit[]
  deals: Deal[]
  ledger: StoredLedgerEntry[]
  audit: AuditEvent[]
}
/** The leads an erasure anonymised. */
export interface ErasureReport {
  leads: Id[]
}

/** A stored record carries its `version`. */
export type Stored<T> = T & { version: number }

/**
 * Opens the store `url` names — `memory:`, `sqlite://path/to/crm.db`, `sqlite::memory:`,
 * `postgres://user@host/db` — applying migrations unless `migrate: false`; with
 * `cache: 'redis://…'` behind a Redis cache. Rejects with `StoreError` (`store.config`: a bad
 * URL), `StoreUnavailableError` (the server is unreachable), `store.auth`, `store.migration`.
 */
export declare function openStore(url: string, options?: StoreOptions): Promise<Store>

/**
 * An open store, shared by every request of a service. Every method takes the tenant (the
 * brokerage's UUID) first — no call reads or changes another tenant's records — and returns a
 * Promise settled on the JS thread after the work ran on the library's own runtime.
 */
export declare class Store {
  private constructor()
  /** `memory`, `sqlite`, `postgres`, or `redis+…` for a cached store. */
  readonly backend: string
  /** Whether {@link Store.close} was called. */
  readonly closed: boolean
  /** Lets go of the store (its pools close once calls in flight answer); later calls reject with `StoreUnavailableError`. */
  close(): Promise<void>
  /** Checks that the backend answers (`StoreUnavailableError` otherwise). */
  ping(): Promise<void>

  /** Stores a new agent (version 1); `DuplicateError` if the id is taken. */
  insertAgent(tenant: Id, agent: Input<Agent>): Promise<Stored<Agent>>
  getAgent(tenant: Id, id: Id): Promise<Stored<Agent> | null>
  /** Replaces an agent; its `version` must be the stored one (`ConflictError` otherwise). */
  updateAgent(tenant: Id, agent: Input<Agent>): Promise<Stored<Agent>>
  /** Every agent of the tenant, by creation. */
  listAgents(tenant: Id): Promise<Array<Stored<Agent>>>

  /** Stores a new lead, validated (every problem with its path) and normalised, version 1. */
  insertLead(tenant: Id, lead: Input<Lead>): Promise<Stored<Lead>>
  getLead(tenant: Id, id: Id): Promise<Stored<Lead> | null>
  /** Replaces a lead; its `version` must be the stored one (`ConflictError` otherwise). */
  updateLead(tenant: Id, lead: Input<Lead>): Promise<Stored<Lead>>
  findLeads(tenant: Id, query?: LeadQuery): Promise<Page<Stored<Lead>>>
  /** The lead a portal delivered under its own lead id, or null. */
  findLeadByPortal(tenant: Id, portal: string, portalLeadId: string): Promise<Stored<Lead> | null>
  /** Bulk import: new leads inserted, re-deliveries left unchanged; one invalid lead fails the whole import (paths like `[3].contact.email`). */
  importLeads(tenant: Id, leads: ReadonlyArray<Input<Lead>>): Promise<ImportReport>
  /** Appends an activity to its lead (`NotFoundError` if the lead is not in this tenant). */
  addActivity(tenant: Id, activity: Input<Activity>): Promise<Activity>
  /** A lead's activities, by time. */
  listActivities(tenant: Id, leadId: Id): Promise<Activity[]>

  insertProperty(tenant: Id, property: Input<Property>): Promise<Stored<Property>>
  getProperty(tenant: Id, id: Id): Promise<Stored<Property> | null>
  updateProperty(tenant: Id, property: Input<Property>): Promise<Stored<Property>>
  findProperties(tenant: Id, query?: PropertyQuery): Promise<Page<Stored<Property>>>

  /** Stores a new deal; its lead and property must be in this tenant (`NotFoundError`). */
  insertDeal(tenant: Id, deal: Input<Deal>): Promise<Stored<Deal>>
  getDeal(tenant: Id, id: Id): Promise<Stored<Deal> | null>
  updateDeal(tenant: Id, deal: Input<Deal>): Promise<Stored<Deal>>
  findDeals(tenant: Id, query?: DealQuery): Promise<Page<Stored<Deal>>>

  /** Stores a new visit; its lead, property and agent must be in this tenant. */
  insertVisit(tenant: Id, visit: Input<Visit>): Promise<Stored<Visit>>
  getVisit(tenant: Id, id: Id): Promise<Stored<Visit> | null>
  updateVisit(tenant: Id, visit: Input<Visit>): Promise<Stored<Visit>>
  findVisits(tenant: Id, query?: VisitQuery): Promise<Page<Stored<Visit>>>

  /** Appends balanced ledger entries, all or none. A retried id with the same entry returns the stored one; with another entry it is `DuplicateError`. There is no update and no delete. */
  appendLedger(tenant: Id, entries: ReadonlyArray<NewLedgerEntry>): Promise<StoredLedgerEntry[]>
  /** A deal's ledger entries, in append order. */
  ledgerForDeal(tenant: Id, dealId: Id): Promise<StoredLedgerEntry[]>
  /** The tenant's ledger in append order: up to `limit` (100; at most 1000) entries after `afterSeq`. */
  ledgerPage(tenant: Id, options?: { afterSeq?: number | null; limit?: number }): Promise<StoredLedgerEntry[]>

  /** Takes the round-robin cursor `key` and advances it: 0, 1, 2, … across every process. */
  nextCursor(tenant: Id, key: string): Promise<number>
  /** Adds `delta` (may be negative) to the counter `key`; the new value. */
  addToCounter(tenant: Id, key: string, delta: number): Promise<number>
  /** The counter `key` (0 when never touched). */
  counter(tenant: Id, key: string): Promise<number>
  /** The routing state and its version (an empty state at version 0 when never saved). */
  loadRoutingState(tenant: Id): Promise<{ state: RoutingState; version: number }>
  /** Saves the routing state if its stored version is still `expectedVersion` (`ConflictError` otherwise); the new version. */
  saveRoutingState(tenant: Id, state: RoutingState, expectedVersion: number): Promise<number>

  /** Appends an audit event (`DuplicateError` if its id is taken). */
  appendAudit(tenant: Id, event: Input<AuditEvent>): Promise<void>
  findAudit(tenant: Id, query?: AuditQuery): Promise<Page<AuditEvent>>

  /** Everything held about the subject, as one JSON-ready document. */
  exportSubject(tenant: Id, subject: Subject, options?: { now?: InstantInput }): Promise<SubjectExport>
  /** Anonymises every lead of the subject (and their notes), auditing each erasure; deals and the ledger's amounts stay. */
  eraseSubject(tenant: Id, subject: Subject, options?: { actor?: string; now?: InstantInput }): Promise<ErasureReport>
  /** Adds a consent to a lead and audits it; the lead. */
  recordConsent(tenant: Id, leadId: Id, consent: Input<Consent>, options?: { actor?: string }): Promise<Stored<Lead>>
  /** Revokes the lead's active consents for `purpose` (marketing off for `marketing`) and audits it; the lead. */
  revokeConsent(tenant: Id, leadId: Id, purpose: ConsentPurpose, options?: { actor?: string; at?: InstantInput }): Promise<Stored<Lead>>

  /** Panics inside a store task (tests only): rejects with an `InternalError` (`internal.panic`). */
  _testPanic(): Promise<never>
}
