// A typed usage of the package, checked with `tsc --noEmit` in strict mode (never run). It
// fails to compile if a declaration drifts from how the API is meant to be used.
import * as crm from 'realestate-crm'
import type { Decimal, Money, Lead, Statement, LeadScore, IsoDate } from 'realestate-crm'

// Decimals: literals are accepted as they are; numbers never are.
const price: Decimal = '850000.00'
const fee: Money = { amount: '51000.00', currency: 'BRL' }
// @ts-expect-error a JS number is not a Decimal
const wrong: Decimal = 850000
void wrong
const anyText: string = 'not checked'
// @ts-expect-error an arbitrary string is not a Decimal until it is checked
const unchecked: Decimal = anyText
void unchecked
const checked: Decimal = crm.decimal(anyText)
const rounded: Decimal = crm.roundDecimal(price, 2, 'half_up')
const parts: Money[] = crm.allocate({ amount: '1000.00' }, ['1', '1', '1'])
const sum: Money = crm.addMoney(fee, '10.50')
void [checked, rounded, parts, sum]

// Validation: named result objects, codes or null.
const cpf = crm.parseCpf('529.982.247-25', { allowRepeated: false })
const formatted: string = cpf.formatted
const code: string | null = crm.check('cnpj', '11.222.333/0001-81')
const codes: Array<string | null> = crm.checkMany('cpf', ['529.982.247-25', null, undefined])
const status: Uint8Array = crm.validateBuffer('cpf', '52998224725\n')
const valid: boolean = crm.isValidCpf(42)
void [formatted, code, codes, status, valid]

// Records: instants are Dates in results, Date or RFC 3339 text in arguments.
const lead: crm.Input<Lead> = {
  id: '0190f3a0-0000-7000-8000-000000000001',
  contact: { name: 'Ana Souza', email: 'ana@example.com' },
  source: { type: 'portal', portal: 'zap', external_id: 'Z-1' },
  budget: { max: { amount: '500000.00', currency: 'BRL' }, min: '300000.00' },
  timeline: 'within_3_months',
  created_at: new Date(),
  updated_at: '2026-05-04T12:00:00Z',
}
const stored: Lead = crm.normalized('lead', lead)
const created: Date = stored.created_at
const problems: crm.FieldProblem[] = crm.validateRecord('lead', lead)
void [created, problems]

// Commissions, sync and async, with coded errors.
const engine = new crm.CommissionEngine({ id: 'venda-6', applies_to: 'sale', pool: { type: 'percentage', rate: '6%' } })
declare const deal: crm.Input<crm.Deal>
const day: IsoDate = '2026-05-04'
const s: Statement = engine.statement(deal, day)
const net: Decimal = s.total_net.amount
const many: Array<Statement | crm.CrmError> = engine.statements([deal], { as_of: day }, { errors: 'return' })
async function later(): Promise<Statement[]> {
  try {
    return await engine.statementsAsync([deal], day)
  } catch (e) {
    if (e instanceof crm.ValidationError) void [e.code, e.path, e.errors.length]
    throw e
  }
}
void [net, many, later]

// Scoring and the rest.
const scorer = new crm.Scorer()
const score: LeadScore = scorer.score(lead, new Date(), { activities: [] })
const band: string = score.band
const scores: Promise<LeadScore[]> = scorer.scoreManyAsync([lead], new Date())
const cal = new crm.BusinessCalendar()
const due: Date = cal.addBusinessMinutes(new Date(), 90)
const pipeline = new crm.Pipeline('sales')
const moved = pipeline.transition(stored, 'contacted', { now: new Date() })
const at: Date = moved.transition.at
const pairs = crm.findDuplicates([lead, lead])
const first: number | undefined = pairs[0]?.a
void [band, scores, due, at, first]

// Errors: one base class, a family per code.
try {
  crm.parseCpf('529.982.247-24')
} catch (e) {
  if (e instanceof crm.CrmError) {
    const c: string = e.code
    const p: string | null = e.path
    void [c, p]
  }
}
