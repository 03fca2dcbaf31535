// Types of the realestate-crm package (hand-written over the generated ../index.d.ts of the
// native addon, which takes and returns JSON text). Conventions:
//   * money and rates are decimal strings, typed `Decimal` (never `number`);
//   * instants are `Date` in results and `Date | string` (RFC 3339) in arguments;
//   * calendar dates are `IsoDate` strings (`"2026-05-04"`); ids are UUID strings;
//   * record fields keep the core's JSON names (snake_case), the same in every language;
//     functions, methods and options are camelCase.

// --- scalar types -----------------------------------------------------------------------------

/**
 * An exact decimal as text: `"1234.56"`, `"-2.345"`, `"0.06"`. A template-literal type, so a
 * literal such as `"1234.56"` is accepted as is while an arbitrary `string` is not (check one
 * with {@link decimal}); a JS `number` never is — the runtime refuses it with
 * `validation.money.format`.
 */
export type Decimal = `${number}`

/** A calendar date `YYYY-MM-DD` (no time, no zone). */
export type IsoDate = `${number}-${number}-${number}`

/** An instant in an argument: a `Date`, or RFC 3339 text (`"2026-05-04T12:00:00Z"`). */
export type InstantInput = Date | string

/** A UUID in its usual text form. */
export type Id = string

/** An ISO 4217 currency code (`"BRL"`). */
export type CurrencyCode = string

/** An exact amount in a currency. */
export interface Money {
  amount: Decimal
  currency: CurrencyCode
}

/** Money in an argument: `{amount, currency?}` (BRL by default) or a bare decimal (BRL). */
export type MoneyInput = { amount: Decimal; currency?: CurrencyCode } | Decimal

/**
 * The argument form of a result or record type: instants may be RFC 3339 text, money may be a
 * bare decimal string.
 */
export type Input<T> = T extends Date
  ? InstantInput
  : T extends Money
    ? MoneyInput
    : T extends string | number | boolean | null | undefined
      ? T
      : T extends ReadonlyArray<infer U>
        ? ReadonlyArray<Input<U>>
        : { [K in keyof T]: Input<T[K]> }

/** A JSON value (configuration is data: objects as in the shared JSON files). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json }

// --- errors -----------------------------------------------------------------------------------

/** The code catalogue's stable machine codes (`validation.cpf.check_digit`, `store.conflict`). */
export type ErrorCode = string

/** One problem with one field. */
export interface FieldProblem {
  /** Where (`contact.phone`, `consents[0].revoked_at`; `""` for the value as a whole). */
  path: string
  code: ErrorCode
  message: string
}

/** Base class of every error the library throws or rejects with. */
export declare class CrmError extends Error {
  constructor(code: ErrorCode, message: string, path?: string | null, errors?: FieldProblem[])
  /** The stable machine code. */
  readonly code: ErrorCode
  /** The field the error is about (the first problem's), or null. */
  readonly path: string | null
  /** Every field problem, in the order found (empty for errors not about fields). */
  readonly errors: FieldProblem[]
}
/** Bad input: every `validation.*` and `input.*` code. `errors` lists every problem. */
export declare class ValidationError extends CrmError {}
/** `money.*`: currencies that do not mix, an overflow, an allocation with no answer. */
export declare class MoneyError extends CrmError {}
/** `commission.*`: a statement the plan cannot pay. */
export declare class CommissionError extends CrmError {}
/** `pricing.*`: a calculation with no answer for valid input. */
export declare class PricingError extends CrmError {}
/** `workflow.*`: a refused move, a failing guard, a decision without a match. */
export declare class WorkflowError extends CrmError {}
/** `store.*`: a storage problem. */
export declare class StoreError extends CrmError {}
/** `store.conflict`: the record changed since it was read. */
export declare class ConflictError extends StoreError {}
/** `store.not_found`. */
export declare class NotFoundError extends StoreError {}
/** `store.duplicate`. */
export declare class DuplicateError extends StoreError {}
/** `store.unavailable`: the database could not be reached; retrying may work. */
export declare class StoreUnavailableError extends StoreError {}
/** `internal.*`: a bug caught at the boundary (`internal.panic`). Please report it. */
export declare class InternalError extends CrmError {}

/** The version of the package and its native addon. */
export declare const version: string

// --- validation -------------------------------------------------------------------------------

/** The kinds of plain value that can be validated by name. */
export type ValueKind = 'cpf' | 'cpf_lenient' | 'cnpj' | 'document' | 'cep' | 'uf' | 'phone' | 'phone_repair' | 'email' | 'creci'
export declare const VALUE_KINDS: readonly ValueKind[]

export interface ParsedCpf {
  bare: string
  formatted: string
}
export interface ParsedCnpj {
  bare: string
  formatted: string
}
export interface ParsedDocument {
  kind: 'cpf' | 'cnpj'
  bare: string
  formatted: string
}
export interface ParsedCep {
  bare: string
  formatted: string
  /** The state of the Correios range, null outside the table. */
  uf: string | null
}
export interface ParsedUf {
  code: string
  name: string
}
export interface ParsedPhone {
  e164: string
  kind: 'mobile' | 'landline' | 'foreign'
  formatted: string
}
export interface ParsedEmail {
  normalized: string
  matchKey: string
}
export interface ParsedCreci {
  uf: string
  number: number
  kind: 'F' | 'J' | null
  formatted: string
}

/** A CPF's bare and formatted forms; throws `ValidationError` (`validation.cpf.*`). */
export declare function parseCpf(value: string, options?: { allowRepeated?: boolean }): ParsedCpf
export declare function parseCnpj(value: string): ParsedCnpj
export declare function parseDocument(value: string): ParsedDocument
export declare function parseCep(value: string): ParsedCep
export declare function parseUf(value: string): ParsedUf
export declare function parsePhone(value: string, options?: { repairLegacyMobile?: boolean }): ParsedPhone
export declare function parseEmail(value: string): ParsedEmail
export declare function parseCreci(value: string): ParsedCreci
/** Whether a value is valid; anything that is not a string is not. */
export declare function isValid(kind: ValueKind, value: unknown): boolean
/** Whether a CPF is valid (the cheapest single check). */
export declare function isValidCpf(value: unknown): boolean
export declare function isValidCnpj(value: unknown): boolean
/** The error code of one value, null when it is valid. */
export declare function check(kind: ValueKind, value: string): ErrorCode | null
/** The canonical text of a valid value (bare CPF, E.164 phone, …); throws on an invalid one. */
export declare function canonical(kind: ValueKind, value: string): string

/** An array of values: null/undefined items get the kind's blank code, non-strings `input.json`. */
export type Column = ReadonlyArray<string | null | undefined>
/** The code of every item, null where valid. */
export declare function checkMany(kind: ValueKind, values: Column): Array<ErrorCode | null>
/** `checkMany` off the event loop (the libuv thread pool). */
export declare function checkManyAsync(kind: ValueKind, values: Column): Promise<Array<ErrorCode | null>>
export declare function isValidMany(kind: ValueKind, values: Column): boolean[]
export declare function canonicalMany(kind: ValueKind, values: Column): { values: Array<string | null>; codes: Array<ErrorCode | null> }
/** `STATUS_CODES[n]` is the code of status byte `n` of {@link validateBuffer} (0: valid, null). */
export declare const STATUS_CODES: ReadonlyArray<ErrorCode | null>
/**
 * Validates newline-separated values (UTF-8 bytes, `\r\n` accepted, the closing newline
 * optional) without a JS string per value: one status byte per line, 0 for valid, else an
 * index into {@link STATUS_CODES}. Large inputs are checked on every core.
 */
export declare function validateBuffer(kind: ValueKind, data: Uint8Array | string): Uint8Array
/** `validateBuffer` off the event loop (the bytes are copied first). */
export declare function validateBufferAsync(kind: ValueKind, data: Uint8Array | string): Promise<Uint8Array>
/** The code of every status byte (null where valid). */
export declare function statusCodesOf(status: Uint8Array): Array<ErrorCode | null>

// --- records ----------------------------------------------------------------------------------

export type Interest = 'buy' | 'rent'
export type Timeline = 'immediate' | 'within_3_months' | 'within_6_months' | 'within_12_months' | 'over_12_months' | 'unknown'
export type PropertyType = 'apartment' | 'house' | 'condo_house' | 'penthouse' | 'studio' | 'land' | 'office' | 'store' | 'warehouse' | 'rural' | 'other'
export type ListingKind = 'sale' | 'rent' | 'sale_and_rent'
export type PropertyStatus = 'draft' | 'active' | 'reserved' | 'sold' | 'rented' | 'inactive'
export type ConsentPurpose = 'marketing' | 'contact' | 'data_sharing' | 'profiling'
export type DealKind = 'sale' | 'lease'
export type DealStatus = 'proposal' | 'accepted' | 'closed' | 'rejected' | 'cancelled'
export type ParticipantRole = 'agency' | 'listing_broker' | 'selling_broker' | 'partner_agency' | 'referral'
export type RecipientType = 'individual' | 'company'
export type ActivityKind = 'listing_view' | 'favourite' | 'saved_search' | 'message' | 'call' | 'email_opened' | 'visit_scheduled' | 'visit_done' | 'visit_no_show' | 'proposal_sent' | 'unsubscribed'
export type VisitStatus = 'scheduled' | 'done' | 'no_show' | 'cancelled'
export type RecordKind = 'lead' | 'property' | 'deal' | 'activity' | 'agent' | 'visit'
export declare const RECORD_KINDS: readonly RecordKind[]

export interface Contact {
  name: string
  email?: string
  phone?: string
  document?: string
}
export interface Consent {
  purpose: ConsentPurpose
  granted_at: Date
  revoked_at?: Date
  text_version: string
  channel?: string
}
export type LeadSource =
  | { type: 'website' }
  | { type: 'referral'; referrer?: string }
  | { type: 'walk_in' }
  | { type: 'phone_call' }
  | { type: 'social' }
  | { type: 'portal'; portal: string; external_id?: string; temperature?: 'hot' | 'warm' | 'cold' }
  | { type: 'other'; name: string }
export interface BudgetRange {
  min?: Money
  max?: Money
}
/** A lead (fields with a default in the core are optional). */
export interface Lead {
  id: Id
  contact: Contact
  source?: LeadSource
  interest?: Interest
  budget?: BudgetRange
  wanted_cities?: string[]
  wanted_neighbourhoods?: string[]
  property_types?: PropertyType[]
  min_bedrooms?: number
  timeline?: Timeline
  consents?: Consent[]
  marketing_opt_in?: boolean
  stage?: string
  assigned_agent?: Id
  created_at: Date
  updated_at: Date
  version?: number
}
export interface Address {
  cep: string
  street: string
  number?: string
  complement?: string
  neighbourhood: string
  city: string
  uf: string
}
export interface Property {
  id: Id
  reference?: string
  listing: ListingKind
  property_type: PropertyType
  status?: PropertyStatus
  sale_price?: Money
  rent?: Money
  condo_fee?: Money
  iptu_yearly?: Money
  private_area_m2?: Decimal
  total_area_m2?: Decimal
  bedrooms?: number
  suites?: number
  bathrooms?: number
  parking_spaces?: number
  address: Address
  location?: { latitude: number; longitude: number }
  listing_broker?: Id
  features?: string[]
  created_at: Date
  updated_at: Date
  version?: number
}
export interface Participant {
  role: ParticipantRole
  agent_id?: Id
  name?: string
  document?: string
  recipient?: RecipientType
}
export interface Deal {
  id: Id
  lead_id: Id
  property_id: Id
  kind: DealKind
  status?: DealStatus
  value: Money
  lease_months?: number
  proposed_on: IsoDate
  accepted_on?: IsoDate
  closed_on?: IsoDate
  cancelled_on?: IsoDate
  participants?: Participant[]
  created_at: Date
  updated_at: Date
  version?: number
}
export interface Activity {
  id: Id
  lead_id: Id
  kind: ActivityKind
  at: Date
  property_id?: Id
  agent_id?: Id
  note?: string
}
export interface Agent {
  id: Id
  name: string
  creci: string
  email: string
  phone?: string
  team?: string
  store?: string
  active?: boolean
  created_at: Date
  updated_at: Date
  version?: number
}
export interface Visit {
  id: Id
  lead_id: Id
  property_id: Id
  agent_id: Id
  starts_at: Date
  ends_at: Date
  status?: VisitStatus
  note?: string
  version?: number
}
export interface RecordTypes {
  lead: Lead
  property: Property
  deal: Deal
  activity: Activity
  agent: Agent
  visit: Visit
}

/** Every problem of one record (`[]` when valid); a record of the wrong shape throws. */
export declare function validateRecord<K extends RecordKind>(kind: K, record: Input<RecordTypes[K]>): FieldProblem[]
/** The problems of every record, in order; a record of the wrong shape gives its error in place. */
export declare function validateRecords<K extends RecordKind>(kind: K, records: ReadonlyArray<Input<RecordTypes[K]>>): Array<FieldProblem[] | CrmError>
export declare function validateRecordsAsync<K extends RecordKind>(kind: K, records: ReadonlyArray<Input<RecordTypes[K]>>): Promise<Array<FieldProblem[] | CrmError>>
/** A record read and written back in the core's form (defaults filled in). */
export declare function readRecord<K extends RecordKind>(kind: K, record: Input<RecordTypes[K]>): RecordTypes[K]
/** The canonical copy of a valid lead, property or agent to store; throws with every problem. */
export declare function normalized<K extends 'lead' | 'property' | 'agent'>(kind: K, record: Input<RecordTypes[K]>): RecordTypes[K]

// --- money ------------------------------------------------------------------------------------

export type RoundingMode = 'half_even' | 'half_up' | 'half_down' | 'down' | 'up' | 'floor' | 'ceiling'
/** A decimal string checked and in its plain form; throws `validation.money.format`. */
export declare function decimal(value: string): Decimal
/** `value` rounded to `places` decimals (half-even by default, NBR 5891). */
export declare function roundDecimal(value: Decimal, places?: number, mode?: RoundingMode): Decimal
/** Splits a total by weights to the currency's minor unit; the parts sum to the total. */
export declare function allocate(total: MoneyInput, weights: readonly Decimal[], currency?: CurrencyCode): Money[]
/** A rate as written (`"6%"`, `"6,5 %"`, `"0.065"`) as its fraction. */
export declare function parseRate(text: string): Decimal
export declare function currencyInfo(code: string): { code: CurrencyCode; minorUnits: number }
/** `a + b`; different currencies throw `MoneyError` (`money.currency_mismatch`). */
export declare function addMoney(a: MoneyInput, b: MoneyInput): Money
export declare function subtractMoney(a: MoneyInput, b: MoneyInput): Money

// --- commissions ------------------------------------------------------------------------------

/** A commission plan as data (`docs/commission.md`): pool, split, accelerators, limits. */
export interface CommissionPlan {
  id: string
  applies_to: DealKind
  [field: string]: Json
}
/** A withholding rule (ISS, IRRF, …) with its validity dates. */
export type WithholdingRule = { [field: string]: Json }
export interface StatementContext {
  as_of: IsoDate
  /** Volume so far in the period per agent id. */
  period_volumes?: Record<Id, MoneyInput>
}
/** An explanation step (`{type: "pool_percentage", rate, base}`, …). */
export type TrailStep = { type: string; [field: string]: Json }
export interface Withholding {
  tax: string
  rate?: Decimal
  base?: Money
  amount: Money
  [field: string]: unknown
}
export interface StatementLine {
  participant: number
  role: ParticipantRole
  agent_id?: Id
  recipient: RecipientType
  gross: Money
  withholdings?: Withholding[]
  net: Money
  trail?: TrailStep[]
}
export interface Statement {
  deal_id: Id
  plan_id: string
  date: IsoDate
  base: Money
  pool: Money
  pool_trail?: TrailStep[]
  lines: StatementLine[]
  total_withheld: Money
  total_net: Money
}
export interface RentReceipt {
  period_start: IsoDate
  period_end: IsoDate
  received?: MoneyInput
}
export interface AdministrationStatement {
  deal_id: Id
  period_start: IsoDate
  period_end: IsoDate
  days: number
  days_in_month: number
  rent_due: Money
  rent_received: Money
  fee: Money
  lines?: StatementLine[]
  total_withheld: Money
  landlord_net: Money
  [field: string]: unknown
}
export interface Reversal {
  deal_id: Id
  closed_on: IsoDate
  cancelled_on: IsoDate
  days_elapsed: number
  within_window: boolean
  fraction: Decimal
  lines?: Array<{ participant: number; role: ParticipantRole; gross: Money; withholdings?: Withholding[]; net: Money; [field: string]: unknown }>
  total_gross: Money
  [field: string]: unknown
}
export interface LedgerEntry {
  deal_id: Id
  kind: string
  plan_id: string
  date: IsoDate
  memo: string
  postings: Array<{ account: Json; amount: Money }>
}
export interface BatchOptions {
  /** `'throw'` (the default) throws the first failure; `'return'` puts each in its item's place. */
  errors?: 'throw' | 'return'
  /** `false` leaves the explanation trails out (smaller, faster). */
  explain?: boolean
}

/** A commission plan with its withholding table, validated once (every problem with its path). */
export declare class CommissionEngine {
  constructor(plan: CommissionPlan | string, withholding?: readonly WithholdingRule[] | string | null)
  /** The plan in its JSON form. */
  readonly plan: CommissionPlan
  /** The statement of one deal; `context` is a context or its `as_of` date. */
  statement(deal: Input<Deal>, context: StatementContext | IsoDate): Statement
  statements(deals: ReadonlyArray<Input<Deal>>, context: StatementContext | IsoDate, options?: BatchOptions & { errors?: 'throw' }): Statement[]
  statements(deals: ReadonlyArray<Input<Deal>>, context: StatementContext | IsoDate, options: BatchOptions & { errors: 'return' }): Array<Statement | CrmError>
  /** `statements` on the libuv thread pool (the event loop only writes the JSON). */
  statementsAsync(deals: ReadonlyArray<Input<Deal>>, context: StatementContext | IsoDate, options?: BatchOptions & { errors?: 'throw' }): Promise<Statement[]>
  statementsAsync(deals: ReadonlyArray<Input<Deal>>, context: StatementContext | IsoDate, options: BatchOptions & { errors: 'return' }): Promise<Array<Statement | CrmError>>
  /** A lease's administration month. */
  administration(deal: Input<Deal>, receipt: RentReceipt): AdministrationStatement
  /** What comes back when a deal is cancelled after its statement. */
  clawback(statement: Statement, cancelledOn: IsoDate, paid?: readonly MoneyInput[] | null): Reversal
  /** The statement's balanced ledger postings. */
  ledgerEntry(statement: Statement): LedgerEntry
}

// --- pricing ----------------------------------------------------------------------------------

export type Calculator = 'financing' | 'affordability' | 'rent_adjustment' | 'closing_costs' | 'ratio_study' | 'price_per_m2'
export declare const PRICING: readonly Calculator[]
export interface FinancingTerms {
  system: 'sac' | 'price'
  principal: MoneyInput
  rate: { monthly: Decimal } | { annual_effective: Decimal }
  term_months: number
  first_due: IsoDate
  [field: string]: unknown
}
export interface ScheduleLine {
  number: number
  due: IsoDate
  payment: Money
  interest: Money
  amortization: Money
  balance: Money
  [field: string]: unknown
}
export interface Schedule {
  system: 'sac' | 'price'
  monthly_rate: Decimal
  cet_monthly: Decimal
  cet_annual: Decimal
  lines: ScheduleLine[]
  total_paid: Money
  total_interest: Money
  [field: string]: unknown
}
/** A result of a calculator in its JSON form (decimals as strings). */
export type PricingResult = { [field: string]: Json }
/** Any calculator by name, JSON form in and out. */
export declare function pricing(calculator: Calculator, request: Json): PricingResult
/** A financing schedule (SAC or PRICE) with its CET. */
export declare function simulateFinancing(terms: FinancingTerms): Schedule
/** The largest loan an income and a property value allow. */
export declare function affordability(request: { [field: string]: Json }): PricingResult
/** A rent adjusted by IGP-M/IPCA on its anniversary. */
export declare function adjustRent(request: { [field: string]: Json }): PricingResult
/** ITBI, registry and notary fees. */
export declare function closingCosts(request: { [field: string]: Json }): PricingResult
/** IAAO ratio study of predicted values against sale prices. */
export declare function ratioStudy(pairs: ReadonlyArray<{ [field: string]: Json }>): PricingResult
/** Price per m² statistics of comparables `{price, area_m2}`. */
export declare function pricePerM2(comparables: ReadonlyArray<{ price: MoneyInput; area_m2: Decimal; [field: string]: Json }>): PricingResult

// --- scoring ----------------------------------------------------------------------------------

/** A scoring rule set as data (`docs/scoring.md`). */
export type ScoringRules = { [field: string]: Json }
export interface Reason {
  rule: string
  section: 'fit' | 'engagement'
  group?: string
  matched: number
  points: number
  after_decay: number
  after_caps: number
}
export interface LeadScore {
  lead_id: Id
  fit: number
  engagement: number
  score: number
  band: string
  reasons?: Reason[]
}
export interface ScoreOptions {
  activities?: ReadonlyArray<Input<Activity>>
  property?: Input<Property> | null
}
export interface ScoreManyOptions {
  /** Every activity of the book, grouped by `lead_id`. */
  activities?: ReadonlyArray<Input<Activity>>
  /** The property of interest of each lead, by index (null where unknown). */
  properties?: ReadonlyArray<Input<Property> | null>
}
/** A validated rule set: `new Scorer()` (the shipped default) or `new Scorer(rules)`. */
export declare class Scorer {
  constructor(rules?: ScoringRules | 'default' | string)
  readonly rules: ScoringRules
  score(lead: Input<Lead>, now: InstantInput, options?: ScoreOptions): LeadScore
  scoreMany(leads: ReadonlyArray<Input<Lead>>, now: InstantInput, options?: ScoreManyOptions): LeadScore[]
  /** `scoreMany` on the libuv thread pool (the event loop only writes the JSON). */
  scoreManyAsync(leads: ReadonlyArray<Input<Lead>>, now: InstantInput, options?: ScoreManyOptions): Promise<LeadScore[]>
}

// --- duplicate detection ----------------------------------------------------------------------

export type DedupeConfig = { [field: string]: Json }
export type Decision = 'match' | 'review' | 'non_match'
export interface Evidence {
  field: 'document' | 'portal_id' | 'email' | 'phone' | 'name'
  outcome: 'exact' | 'similar' | 'different' | 'missing'
  similarity: number
  weight: number
}
export interface Comparison {
  score: number
  decision: Decision
  rule: 'same_document' | 'same_portal_lead' | 'document_conflict' | 'names_differ' | 'score'
  evidence: Evidence[]
}
export interface DuplicatePair extends Comparison {
  a: number
  b: number
  a_id: Id
  b_id: Id
}
export interface ExistingLead {
  index: number
  lead_id: Id
  by: 'portal_key' | 'lead_id' | 'comparison'
  score: Comparison
}
export interface FieldChoice {
  field: string
  value?: Json
  from: Id
  reason: string
  discarded?: Json
}
export interface MergePlan {
  survivor: Id
  absorbed: Id
  survivor_reason: 'older' | 'more_complete' | 'smaller_id' | 'same_record'
  fields: FieldChoice[]
  portal_keys?: Json
  merged: Lead
}
/** A dedupe configuration with its defaults, validated (throws with every problem). */
export declare function dedupeConfig(config?: DedupeConfig | null): DedupeConfig
export declare function compareLeads(a: Input<Lead>, b: Input<Lead>, config?: DedupeConfig | null): Comparison
/** Candidate pairs of a book (indices `a` < `b`), best first. */
export declare function findDuplicates(book: ReadonlyArray<Input<Lead>>, config?: DedupeConfig | null): DuplicatePair[]
export declare function findDuplicatesAsync(book: ReadonlyArray<Input<Lead>>, config?: DedupeConfig | null): Promise<DuplicatePair[]>
/** The stored lead a new delivery is, or null. */
export declare function findExisting(newLead: Input<Lead>, book: ReadonlyArray<Input<Lead>>, config?: DedupeConfig | null): ExistingLead | null
/** How two records of one person merge. */
export declare function mergePlan(a: Input<Lead>, b: Input<Lead>): MergePlan
/** A normalisation key for matching (a token list for names, null when absent). */
export declare function matchKey(kind: 'name', value: string): string[]
export declare function matchKey(kind: 'email' | 'phone' | 'document', value: string): string | null
/** Fellegi–Sunter weights in bits (probabilities are plain numbers, not money). */
export declare function fieldWeights(m: number, u: number): { agreement: number; disagreement: number }

// --- workflow ---------------------------------------------------------------------------------

export type PipelineConfig = { [field: string]: Json }
export interface TransitionContext {
  now: InstantInput
  actor?: Id
  reason?: string
  property_id?: Id
  offer_value?: MoneyInput
  proposal_accepted?: boolean
}
export interface Transition {
  pipeline: string
  from: string
  to: string
  kind: string
  at: Date
  actor?: Id
  reason?: string
}
/** A pipeline: `'sales'`, `'rentals'`, `'deals'` (the shipped ones) or a pipeline object. */
export declare class Pipeline {
  constructor(pipeline?: 'sales' | 'rentals' | 'deals' | PipelineConfig | string)
  toJSON(): PipelineConfig
  /** The field holding a record's stage: `stage`, or `status` for deals. */
  readonly stageField: 'stage' | 'status'
  targets(stage: string): string[]
  /** Moves a record to `to`; a refused move or failing guard throws. */
  transition<R extends object>(record: R, to: string, context: TransitionContext): { record: R & { [field: string]: unknown }; transition: Transition }
}

/** A business calendar: working hours and holidays in the agency's zone. */
export declare class BusinessCalendar {
  /** A calendar (`{}` or nothing: São Paulo's default). */
  constructor(calendar?: { [field: string]: Json } | string | null)
  addBusinessMinutes(at: InstantInput, minutes: number): Date
  addBusinessDays(at: InstantInput, days: number): Date
  businessMinutesBetween(start: InstantInput, end: InstantInput): number
  isWorkingTime(at: InstantInput): boolean
  isHoliday(day: IsoDate): boolean
  isBusinessDay(day: IsoDate): boolean
  holidaysIn(year: number): Array<{ date: IsoDate; name: string }>
}
export declare function easterSunday(year: number): IsoDate | null

export type AutomationRule = { [field: string]: Json }
/** An event: `{type, before?, after, at, …}` (records in their JSON form). */
export type AutomationEvent = { type: string; at: InstantInput; [field: string]: unknown }
export interface EvaluateOptions {
  calendar?: BusinessCalendar
  depth?: number
}
export interface Evaluation {
  fired: Array<{ rule_id: string; intents?: Json[]; due_at?: Date }>
  trace: Array<{ rule_id: string; fired: boolean; why: { reason: string; [field: string]: unknown } }>
}
/** A validated set of automation rules (loops refused). */
export declare class AutomationRules {
  constructor(rules: readonly AutomationRule[] | string)
  evaluate(event: AutomationEvent, now: InstantInput, options?: EvaluateOptions): Evaluation
}
/** Evaluates rules without validating them first (as an editor previews a draft). */
export declare function evaluateRules(rules: readonly AutomationRule[] | string, event: AutomationEvent, now: InstantInput, options?: EvaluateOptions): Evaluation

export interface TableDecision {
  outputs: Array<{ [output: string]: Json }>
  matched_rows: number[]
  selected_row?: number
  aggregate?: Json
}
export interface TableReport {
  gaps: Array<{ description: string; [field: string]: Json }>
  overlaps: Array<{ rows: number[]; description: string; [field: string]: Json }>
  not_analysed: Array<{ path: string; [field: string]: Json }>
  truncated: boolean
}
/** A validated decision table. */
export declare class DecisionTable {
  constructor(table: { [field: string]: Json } | string)
  evaluate(record: object): TableDecision
  check(): TableReport
}

export interface SlaStatus {
  policy_id: string
  deadline: Date
  state: 'on_track' | 'at_risk' | 'breached' | 'met' | 'met_late' | string
  business_minutes_left_or_over: number
  escalations_due: number[]
  intents: Json[]
  next_check_at?: Date | null
}
/** A validated SLA policy. */
export declare class SlaPolicy {
  constructor(policy: { [field: string]: Json } | string)
  toJSON(): { [field: string]: Json }
  /** The SLA's state at `now`; the calendar defaults to São Paulo's. */
  check(startedAt: InstantInput, now: InstantInput, calendar?: BusinessCalendar | null, metAt?: InstantInput | null): SlaStatus
}
/** Throws `ValidationError` with every problem of a policy list. */
export declare function validateSlaPolicies(policies: ReadonlyArray<{ [field: string]: Json }> | string): void

export type RoutingPolicy = { [field: string]: Json }
/** What carries from one routing call to the next (cursors, outstanding offers). */
export type RoutingState = { cursors?: Record<string, number>; offers?: unknown[]; next_offer_id?: number; [field: string]: unknown }
export type AgentStatus = { agent_id: Id; [field: string]: Json }
export interface RoutingDecision {
  lead_id?: Id
  assignment: { type: 'assigned'; agent_id: Id } | { type: 'offered'; offer_id: number; agents: Id[]; expires_at: Date } | { type: string; [field: string]: unknown }
  team?: string | null
  reasons: Array<{ type: string; [field: string]: unknown }>
  new_state: RoutingState
}
export interface RouteOptions {
  state?: RoutingState | null
  /** The seed of weighted draws (pass a new one per call, e.g. from a counter). */
  seed?: number
  property?: Input<Property> | null
  language?: string | null
}
/** A routing policy, validated, in its JSON form. */
export declare function routingPolicy(policy: RoutingPolicy | string): RoutingPolicy
/** Routes a lead to a team and an agent (or an offer); pass `new_state` to the next call. */
export declare function routeLead(lead: Input<Lead>, policy: RoutingPolicy | string, agents: readonly AgentStatus[], now: InstantInput, options?: RouteOptions): RoutingDecision
/** Resolves a claim offer: claimed by an agent, or timed out to the next fallback step. */
export declare function resolveOffer(policy: RoutingPolicy | string, state: RoutingState, offerId: number, claimedBy: Id | null, agents: readonly AgentStatus[], now: InstantInput, seed?: number): RoutingDecision

/** Raises a Rust panic inside the guard (tests only): an `InternalError` with `internal.panic`. */
export declare function _testPanic(): never
export * from './store.cjs' // the store: openStore, Store, Page, … (lib/store.d.cts)
