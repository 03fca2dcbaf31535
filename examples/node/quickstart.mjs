// The realestate-crm quickstart in Node: what `cargo run --example quickstart` does, with the
// npm package. Reads the invented São Paulo brokerage in examples/data (or a directory given as
// the first argument) and prints the validation report, the canonical contact data, lead
// scores, the book routed to teams, pipeline moves with automation intents, today's portal
// deliveries against the book and the duplicates, prices per m², commission statements, the
// pricing calculators — then keeps the brokerage in a store and works with it.
//
//     node examples/node/quickstart.mjs [path/to/data]
//
// The store is an SQLite file in the temp directory (CRM_SQLITE_PATH to choose it), or
// PostgreSQL when DATABASE_URL is set (schema `crm_quickstart`, or CRM_PG_SCHEMA).
//
// Money stays decimal text from end to end (never a JS number); instants are Dates.

import { readFile } from 'node:fs/promises'
import { randomUUID } from 'node:crypto'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

// In your project: `import * as crm from 'realestate-crm'`. In this repository the package is
// bindings/node, which the example reaches by its path when the name does not resolve.
const crm = await import('realestate-crm').catch((e) => {
  if (e.code !== 'ERR_MODULE_NOT_FOUND') throw e
  return import('../../bindings/node/lib/index.mjs')
})

const here = path.dirname(fileURLToPath(import.meta.url))
const NOW = new Date('2026-11-26T12:00:00Z')
const TODAY = '2026-11-26'

const loadJson = async (dir, file) => JSON.parse(await readFile(path.join(dir, file), 'utf8'))

// --- formatting (decimal text in, text out: no floats) ------------------------------------------

/** `"51000.5"` → `"R$ 51.000,50"`, from the decimal text itself. */
function brl(money) {
  const amount = typeof money === 'string' ? money : money.amount
  const cents = crm.roundDecimal(amount, 2)
  const negative = cents.startsWith('-')
  const [int, frac = '00'] = (negative ? cents.slice(1) : cents).split('.')
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '.')
  return `${negative ? '-' : ''}R$ ${grouped},${frac.padEnd(2, '0')}`
}

/** A fraction as a percentage, by moving the decimal point: `"0.065"` → `"6.5%"`. */
function pct(fraction, places = 2) {
  const negative = fraction.startsWith('-')
  let [int, frac = ''] = (negative ? fraction.slice(1) : fraction).split('.')
  frac = frac.padEnd(2, '0')
  const shifted = `${int}${frac.slice(0, 2)}.${frac.slice(2) || '0'}`
  const rounded = crm.roundDecimal(shifted, places).replace(/\.?0+$/, '')
  return `${negative ? '-' : ''}${rounded.replace(/^0+(?=\d)/, '')}%`
}

const pad = (s, n) => String(s).padEnd(n)
const lpad = (s, n) => String(s).padStart(n)
const fixed = (x, n) => x.toFixed(n) // scores are plain numbers in the core (points, not money)

// --- validation -----------------------------------------------------------------------------

function validationReport(books) {
  console.log(`${pad('records', 12)} ${lpad('checked', 7)} ${lpad('valid', 7)} ${lpad('problems', 9)}`)
  const problems = []
  let flawed = 0
  for (const [kind, name, label] of [
    ['agent', 'agents', (a) => a.name],
    ['property', 'properties', (p) => `${p.reference ?? p.id} (${p.address?.neighbourhood})`],
    ['lead', 'leads', (l) => l.contact?.name],
    ['activity', 'activities', (a) => `${a.kind} at ${a.at}`],
    ['deal', 'deals', (d) => d.id],
    ['visit', 'visits', (v) => v.id],
  ]) {
    const records = books[kind]
    const results = crm.validateRecords(kind, records) // every problem of every record, in one call
    let count = 0
    results.forEach((r, i) => {
      const list = r instanceof crm.CrmError ? r.errors : r
      if (list.length === 0) return
      flawed++
      count += list.length
      problems.push(`${name}[${i}] ${label(records[i])}`)
      for (const p of list) problems.push(`    ${pad(p.path, 20)} ${pad(p.code, 36)} ${p.message}`)
    })
    const bad = results.filter((r) => r instanceof crm.CrmError || r.length > 0).length
    console.log(`${pad(name, 12)} ${lpad(records.length, 7)} ${lpad(records.length - bad, 7)} ${lpad(count, 9)}`)
  }
  console.log(problems.length ? '\nproblems (path, code, message)' : '\nno problems found')
  for (const line of problems) console.log(`  ${line}`)
  return flawed
}

const isValid = (kind, record) => crm.validateRecord(kind, record).length === 0

function canonicalContacts(leads) {
  console.log('\nleads ready to store (canonical contact data)')
  for (const lead of leads) {
    if (!isValid('lead', lead)) continue
    const c = crm.normalized('lead', lead).contact
    console.log(`  ${pad(c.name, 28)} ${pad(c.phone ?? '-', 16)} ${pad(c.email ?? '-', 34)} ${c.document ?? '-'}`)
  }
  // A column of phones checked in one call, as a service importing a spreadsheet would.
  const codes = crm.checkMany('phone', leads.map((l) => l.contact?.phone ?? null))
  const invalid = [...new Set(codes.filter(Boolean))].sort()
  console.log(`  phones valid: ${codes.filter((c) => c === null).length} of ${codes.length}; codes: ${invalid.join(', ')}`)
}

// --- scoring, routing, workflow -------------------------------------------------------------

function scoring(books) {
  const scorer = new crm.Scorer()
  const props = new Map(books.property.map((p) => [p.id, p]))
  // Each lead's property of interest: the listing it touched last.
  const interest = books.lead.map((l) => {
    const touched = books.activity.filter((a) => a.lead_id === l.id && props.has(a.property_id))
    touched.sort((a, b) => (a.at < b.at ? -1 : 1))
    return touched.length ? props.get(touched[touched.length - 1].property_id) : null
  })
  const scores = scorer.scoreMany(books.lead, NOW, { activities: books.activity, properties: interest })
  const ranked = scores.map((s, i) => [s, books.lead[i]]).sort((a, b) => b[0].score - a[0].score)
  console.log(`\nleads ranked by score (rule set ${scorer.rules.id}, as of ${NOW.toISOString()})`)
  console.log(`  ${pad('lead', 30)} ${lpad('score', 6)} ${lpad('band', 4)} ${lpad('fit', 5)} ${lpad('eng', 5)}  top reasons`)
  for (const [s, lead] of ranked) {
    const reasons = (s.reasons ?? [])
      .filter((r) => r.after_caps !== 0)
      .slice(0, 3)
      .map((r) => `${r.rule} ${r.after_caps > 0 ? '+' : ''}${r.after_caps}`)
    console.log(`  ${pad(lead.contact.name, 30)} ${lpad(fixed(s.score, 2), 6)} ${lpad(s.band, 4)} ${lpad(fixed(s.fit, 1), 5)} ${lpad(fixed(s.engagement, 1), 5)}  ${reasons.join(', ')}`)
  }
}

function routing(books, policy) {
  const statuses = books.agent.map((a) => ({
    agent_id: a.id,
    paused: a.active === false,
    open_leads: books.lead.filter((l) => l.assigned_agent === a.id).length,
  }))
  const name = (id) => books.agent.find((a) => a.id === id)?.name ?? '?'
  console.log('\nrouting the book as if it arrived today (by territory, round robin in the team, seeded and replayable)')
  let state = null
  books.lead.forEach((lead, seed) => {
    let d
    try {
      d = crm.routeLead(lead, policy, statuses, NOW, { state, seed })
    } catch (e) {
      console.log(`  ${pad(lead.contact.name, 28)} not routed: ${e.code} at ${e.path}`)
      return
    }
    const a = d.assignment
    const outcome =
      a.type === 'assigned' ? `→ ${name(a.agent_id)} (${d.team ?? '-'})` : a.type === 'offered' ? `offered to ${a.agents.length} agents` : `unassigned: ${JSON.stringify(a)}`
    console.log(`  ${pad(lead.contact.name, 28)} ${outcome}`)
    for (const r of d.reasons.slice(0, 2)) console.log(`      ${JSON.stringify(r)}`)
    state = d.new_state
  })
}

function workflow(books, rulesJson) {
  const sales = new crm.Pipeline('sales')
  const rules = new crm.AutomationRules(rulesJson)
  console.log(`\npipeline sales and ${rulesJson.length} automation rules`)
  const property = books.property[0]?.id
  // (lead, moves): Aline's proposal names no property or value, so its guards refuse it.
  for (const [index, moves] of [
    [7, ['contacted', 'visit_scheduled', 'proposal']],
    [6, ['visit_scheduled', 'proposal']],
    [9, ['lost']],
  ]) {
    let lead = books.lead[index]
    if (!lead) continue
    console.log(`  ${lead.contact.name} (stage ${lead.stage ?? 'new'})`)
    for (const to of moves) {
      const context = { now: NOW, reason: 'sem retorno após três tentativas' }
      if (to === 'proposal' && index === 6 && property) Object.assign(context, { property_id: property, offer_value: '2150000.00' })
      let moved
      try {
        moved = sales.transition(lead, to, context)
      } catch (e) {
        if (!(e instanceof crm.CrmError)) throw e
        console.log(`    ${lead.stage ?? 'new'} → ${to} refused [${e.code}]: ${e.errors.map((f) => `${f.path} ${f.message}`).join('; ')}`)
        continue
      }
      const { record: after, transition: t } = moved
      console.log(`    ${t.from} → ${t.to} (${t.kind})`)
      const event = { type: 'stage_changed', from: t.from, to: t.to, before: lead, after, at: NOW }
      const { fired, trace } = rules.evaluate(event, NOW)
      for (const f of fired) for (const intent of f.intents ?? []) console.log(`      intent ${f.rule_id}: ${JSON.stringify(intent)}`)
      if (fired.length === 0 && trace.length) console.log(`      no rule fired (${trace[0].rule_id}: ${trace[0].why.reason} …)`)
      lead = after
    }
  }
  // The deals pipeline: sign the accepted sale, accept and sign the lease, a distrato without a reason.
  const deals = new crm.Pipeline('deals')
  console.log(`  deals pipeline (stage field ${deals.stageField})`)
  for (const [index, moves] of [
    [2, [['closed', true]]],
    [1, [['accepted', false], ['closed', true]]],
    [0, [['cancelled', false]]],
  ]) {
    let deal = books.deal[index]
    if (!deal) continue
    for (const [to, accepted] of moves) {
      try {
        const { record, transition: t } = deals.transition(deal, to, accepted ? { now: NOW, proposal_accepted: true } : { now: NOW })
        console.log(`    ${deal.kind} deal ${deal.id.slice(0, 8)}: ${t.from} → ${t.to} (${t.kind})`)
        deal = record
      } catch (e) {
        if (!(e instanceof crm.CrmError)) throw e
        console.log(`    ${deal.kind} deal ${deal.id.slice(0, 8)}: → ${to} refused [${e.code}]: ${e.errors.map((f) => f.message).join('; ')}`)
      }
    }
  }
}

// --- duplicates and prices ------------------------------------------------------------------

function duplicates(book, incoming) {
  console.log('\nincoming leads (idempotent ingestion: the same portal lead twice is one lead)')
  for (const lead of incoming) {
    const found = crm.findExisting(lead, book)
    console.log(
      found
        ? `  ${pad(lead.contact.name, 28)} → existing lead ${book[found.index].contact.name} (by ${found.by}, score ${fixed(found.score.score, 1)})`
        : `  ${pad(lead.contact.name, 28)} → new lead`,
    )
  }
  const all = [...book, ...incoming]
  const pairs = crm.findDuplicates(all)
  console.log(`\nduplicates in the book with today's leads (${pairs.length} pairs)`)
  for (const p of pairs) {
    const evidence = p.evidence.filter((e) => e.weight !== 0).map((e) => `${e.field} ${e.outcome} ${e.weight > 0 ? '+' : ''}${fixed(e.weight, 1)}`)
    console.log(`  ${p.decision} ${lpad(fixed(p.score, 1), 5)}  ${all[p.a].contact.name} ~ ${all[p.b].contact.name}  [${evidence.join(', ')}]`)
  }
  if (pairs.length) {
    const [a, b] = [all[pairs[0].a], all[pairs[0].b]]
    const plan = crm.mergePlan(a, b)
    const survivor = plan.survivor === a.id ? a : b
    console.log(`  merge plan for the first pair: keep ${survivor.contact.name} (${plan.survivor_reason})`)
    const changed = plan.fields.filter((f) => f.reason !== 'survivor_value')
    console.log(`    ${plan.fields.length - changed.length} fields kept as the survivor has them; the others:`)
    for (const f of changed) console.log(`    ${pad(f.field, 22)} ${pad(JSON.stringify(f.value ?? null), 40)} ${f.reason}`)
  }
}

function portfolio(properties) {
  console.log('\nlistings for sale, price per m² of private area')
  const forSale = properties.filter((p) => p.listing !== 'rent' && p.sale_price && p.private_area_m2 && isValid('property', p))
  const stats = crm.pricePerM2(forSale.map((p) => ({ price: p.sale_price, area_m2: p.private_area_m2 })))
  const rows = forSale.map((p) => {
    const one = crm.pricePerM2([{ price: p.sale_price, area_m2: p.private_area_m2 }])
    return [p, one.median ?? one.mean]
  })
  rows.sort((x, y) => (crm.subtractMoney(y[1], x[1]).amount.startsWith('-') ? -1 : 1))
  for (const [p, perM2] of rows) {
    console.log(`  ${pad(p.address.neighbourhood, 16)} ${pad(p.property_type, 12)} ${lpad(brl(p.sale_price), 18)} ${lpad(brl(perM2), 14)}/m²`)
  }
  if (stats.median) console.log(`  median ${brl(stats.median)} per m² over ${forSale.length} listings`)
  console.log(`  (${properties.filter((p) => p.listing !== 'sale').length} listing(s) for rent)`)
}

// --- commissions and pricing ----------------------------------------------------------------

const who = (participant, agents) => {
  const role = participant.role.replaceAll('_', ' ')
  const name = agents.find((a) => a.id === participant.agent_id)?.name ?? participant.name
  return name ? `${role}: ${name}` : role
}

function commissions(books, plans, taxes) {
  const sale = new crm.CommissionEngine(plans.sale, taxes)
  const lease = new crm.CommissionEngine(plans.lease, taxes)
  console.log(`\ncommissions (plans ${sale.plan.id} and ${lease.plan.id}; statements as of ${TODAY})`)
  const booked = []
  for (const original of books.deal) {
    // Close what is still open today, as the brokerage would on signing.
    const deal = original.closed_on ? original : { ...original, status: 'closed', closed_on: TODAY }
    const engine = deal.kind === 'sale' ? sale : lease
    const s = engine.statement(deal, TODAY)
    const place = books.property.find((p) => p.id === deal.property_id)?.address.neighbourhood ?? '?'
    console.log(`\n  ${deal.kind === 'sale' ? 'sale' : 'lease placement'} in ${place}, closed ${s.date}: value ${brl(s.base)} → pool ${brl(s.pool)}`)
    console.log(`    ${pad('participant', 58)} ${lpad('gross', 15)} ${lpad('withheld', 24)} ${lpad('net', 15)}`)
    for (const line of s.lines) {
      const withheld = (line.withholdings ?? []).map((w) => `${w.tax} ${brl(w.amount)}`).join(', ') || '-'
      console.log(`    ${pad(who(deal.participants[line.participant], books.agent), 58)} ${lpad(brl(line.gross), 15)} ${lpad(withheld, 24)} ${lpad(brl(line.net), 15)}`)
    }
    console.log(`    ${pad('total', 58)} ${lpad(brl(s.pool), 15)} ${lpad(brl(s.total_withheld), 24)} ${lpad(brl(s.total_net), 15)}`)
    const entry = engine.ledgerEntry(s)
    const balance = entry.postings.reduce((sum, p) => crm.addMoney(sum, p.amount), { amount: '0', currency: 'BRL' })
    console.log(`    ledger: ${entry.postings.length} postings, balanced: ${crm.roundDecimal(balance.amount, 2) === '0.00'}`)
    booked.push(entry)
    if (deal.kind === 'lease') {
      // The tenant moves in on the signing day: a partial first month, then a full one.
      for (const receipt of [
        { period_start: TODAY, period_end: '2026-11-30' },
        { period_start: '2026-12-01', period_end: '2026-12-31' },
      ]) {
        const a = lease.administration(deal, receipt)
        console.log(
          `    administration ${a.period_start}..${a.period_end} (${a.days}/${a.days_in_month} days): rent ${brl(a.rent_received)}` +
            `${a.rate ? ` · ${pct(a.rate)}` : ''} = fee ${brl(a.fee)}; landlord receives ${brl(a.landlord_net)}`,
        )
      }
    }
    if (deal.participants.some((p) => p.role === 'partner_agency')) {
      // The co-brokered sale falls through 33 days later (distrato).
      const r = engine.clawback(s, '2026-12-29')
      console.log(`    cancelled 2026-12-29, ${r.days_elapsed} days after closing: ${pct(r.fraction)} of the commission comes back (${brl(r.total_gross)})`)
      for (const l of r.lines ?? []) console.log(`      ${pad(who(deal.participants[l.participant], books.agent), 58)} gives back ${lpad(brl(crm.subtractMoney('0', l.net)), 15)}`)
    }
  }
  return booked
}

function calculators(assumptions) {
  const f = assumptions.financing
  const rate = f.rate.annual_effective ?? f.rate.monthly
  console.log(`\nfinancing ${brl(f.principal)} of a ${brl(f.property_value)} apartment over ${f.term_months} months, ${pct(rate, 4)} a year effective`)
  console.log(`  ${pad('system', 6)} ${lpad('first payment', 15)} ${lpad('last payment', 15)} ${lpad('total interest', 17)} ${lpad('total paid', 17)} ${lpad('CET/year', 10)}`)
  for (const system of ['sac', 'price']) {
    const s = crm.simulateFinancing({ ...f, system })
    console.log(
      `  ${pad(system.toUpperCase(), 6)} ${lpad(brl(s.first_payment ?? s.lines[0].payment), 15)} ${lpad(brl(s.last_payment ?? s.lines[s.lines.length - 1].payment), 15)} ` +
        `${lpad(brl(s.total_interest), 17)} ${lpad(brl(s.total_paid), 17)} ${lpad(pct(s.cet_annual, 4), 10)}`,
    )
  }
  const af = crm.affordability(assumptions.affordability)
  console.log(
    `  income ${brl(assumptions.affordability.gross_monthly_income)} → payment up to ${brl(af.max_payment)}: loan up to ${brl(af.max_loan)} ` +
      `(bound by ${af.binding_limit}), down payment ${brl(af.down_payment)}`,
  )
  const cc = crm.closingCosts(assumptions.closing_costs)
  console.log(`  closing costs: ITBI ${brl(cc.itbi)} + registry ${brl(cc.registry)} + notary ${brl(cc.notary)} = ${brl(cc.total_costs)}; cash needed ${brl(cc.cash_needed)}`)
  const r = crm.adjustRent(assumptions.rent_adjustment)
  console.log(
    `\nrent adjustment by ${assumptions.rent_adjustment.index_name} on ${r.anniversary} (window ${r.window_start}..${r.window_end}): ` +
      `accumulated ${pct(r.variation, 4)} → rent ${brl(r.previous_rent)} becomes ${brl(r.new_rent)}${r.floored ? ' (floored: the contract does not lower the rent)' : ''}`,
  )
  console.log(`  months used: ${(r.months ?? []).map((m) => `${m.month} ${pct(m.value, 4)}`).join(', ')}`)
}

// --- the store ------------------------------------------------------------------------------

function storeUrl() {
  const pg = (process.env.DATABASE_URL ?? '').trim()
  const schema = (process.env.CRM_PG_SCHEMA ?? '').trim() || 'crm_quickstart'
  if (pg) return { url: pg, options: { schema }, shown: `PostgreSQL at ${pg.split('@').pop()}, schema ${schema}` }
  const file = process.env.CRM_SQLITE_PATH || path.join(os.tmpdir(), 'realestate-crm-quickstart.db')
  return { url: `sqlite://${file}`, options: {}, shown: `SQLite file ${file}` }
}

const clientTotal = (entries) =>
  entries
    .flatMap((e) => e.entry.postings)
    .filter((p) => p.account.type === 'client')
    .reduce((sum, p) => crm.addMoney(sum, p.amount), { amount: '0.00', currency: 'BRL' })

async function keepInStore(books, ledger) {
  const { url, options, shown } = storeUrl()
  const store = await crm.openStore(url, options)
  try {
    // Each run books the brokerage as a new tenant, so runs never collide.
    const tenant = randomUUID()
    console.log(`\nstore: ${shown} (${store.backend}), tenant ${tenant}`)

    // Only what validates goes in; the store validates again and would refuse the rest.
    const agents = books.agent.filter((a) => isValid('agent', a))
    const properties = books.property.filter((p) => isValid('property', p))
    const leads = books.lead.filter((l) => isValid('lead', l))
    await Promise.all(agents.map((a) => store.insertAgent(tenant, a)))
    await Promise.all(properties.map((p) => store.insertProperty(tenant, p)))
    const imported = await store.importLeads(tenant, leads)
    const again = await store.importLeads(tenant, leads)
    const skipped = []
    const settle = async (what, calls) => {
      const results = await Promise.allSettled(calls)
      results.forEach((r) => r.status === 'rejected' && skipped.push(`${what}: ${r.reason.code} (${r.reason.message})`))
      return results.filter((r) => r.status === 'fulfilled').map((r) => r.value)
    }
    const activities = await settle('activity', books.activity.filter((a) => isValid('activity', a)).map((a) => store.addActivity(tenant, a)))
    const deals = await settle('deal', books.deal.filter((d) => isValid('deal', d)).map((d) => store.insertDeal(tenant, d)))
    const visits = await settle('visit', books.visit.filter((v) => isValid('visit', v)).map((v) => store.insertVisit(tenant, v)))
    console.log(
      `  stored ${agents.length} agents, ${properties.length} properties, ${imported.inserted.length} leads, ` +
        `${activities.length} activities, ${deals.length} deals, ${visits.length} visits`,
    )
    console.log(`  the same lead import again: ${again.inserted.length} new, ${again.existing.length} already stored (portal deliveries are idempotent)`)
    for (const s of skipped) console.log(`  not stored: ${s}`)

    // Queries a CRM runs all day.
    const page = await store.findLeads(tenant, { limit: 3 })
    console.log(`  first page of leads (3 per page, next cursor ${page.nextCursor ?? '-'}):`)
    for (const l of page.items) console.log(`    ${pad(l.contact.name, 28)} stage ${pad(l.stage, 12)} created ${l.created_at.toISOString().slice(0, 10)}`)
    const typed = leads.find((l) => l.contact.phone)?.contact.phone
    if (typed) {
      const found = await store.findLeads(tenant, { phone: typed })
      console.log(`  phone ${JSON.stringify(typed)} finds ${JSON.stringify(found.items.map((l) => l.contact.name))}`)
    }

    // Two people edit the same deal: the second save is refused, nothing is lost.
    if (deals[0]) {
      const deal = deals[0]
      await store.updateDeal(tenant, { ...deal, updated_at: NOW })
      try {
        await store.updateDeal(tenant, { ...deal, updated_at: NOW })
        throw new Error('a stale update was accepted')
      } catch (e) {
        if (!(e instanceof crm.ConflictError)) throw e
        console.log(`  a second edit of deal ${deal.id} from a stale copy: ${e.code} (reload and retry)`)
      }
    }

    // The commission ledger: append-only, and a retry books nothing twice.
    const entries = ledger.filter((e) => deals.some((d) => d.id === e.deal_id)).map((entry) => ({ id: randomUUID(), recorded_at: NOW, entry }))
    await store.appendLedger(tenant, entries)
    await store.appendLedger(tenant, entries)
    const booked = await store.ledgerPage(tenant, { limit: 1000 })
    console.log(`  ledger: ${booked.length} entries after a retried append; clients owe ${brl(clientTotal(booked))}`)

    // Routing cursors shared by every instance of the service.
    const turns = []
    for (let i = 0; i < 4; i++) turns.push(await store.nextCursor(tenant, 'team:zona_sul'))
    console.log(`  round-robin cursor for team zona_sul hands out [${turns.join(', ')}]`)

    // LGPD: a data subject asks for their data, then for erasure.
    const email = leads.find((l) => l.contact.email)?.contact.email
    if (email) {
      const exported = await store.exportSubject(tenant, { email }, { now: NOW })
      console.log(
        `  LGPD export for ${email}: ${exported.leads.length} lead(s), ${exported.activities.length} activities, ` +
          `${exported.visits.length} visits, ${exported.deals.length} deals (${JSON.stringify(exported).length} bytes of JSON)`,
      )
      const erased = await store.eraseSubject(tenant, { email }, { actor: 'dpo@quickstart', now: NOW })
      const left = await store.findLeads(tenant, { email })
      const after = await store.ledgerPage(tenant, { limit: 1000 })
      console.log(`  erased ${erased.leads.length} lead(s); searching ${email} now finds ${left.items.length}; ledger still says clients owe ${brl(clientTotal(after))}`)
    }
  } finally {
    await store.close()
  }
}

// --- main -----------------------------------------------------------------------------------

async function main() {
  const dir = process.argv[2] ?? path.resolve(here, '../data')
  const brokerage = await loadJson(dir, 'brokerage.json')
  const books = {}
  for (const [kind, file] of [
    ['agent', 'agents.json'],
    ['property', 'properties.json'],
    ['lead', 'leads.json'],
    ['activity', 'activities.json'],
    ['deal', 'deals.json'],
    ['visit', 'visits.json'],
  ]) {
    books[kind] = await loadJson(dir, file)
  }
  console.log(`realestate-crm quickstart (Node ${crm.version}): ${brokerage.name}`)
  console.log(`CNPJ ${crm.parseCnpj(brokerage.cnpj).formatted} · ${crm.parseCreci(brokerage.creci).formatted} · ${brokerage.city} (${brokerage.uf})`)
  console.log(`data: ${dir}\n`)

  const flawed = validationReport(books)
  canonicalContacts(books.lead)
  scoring(books)
  routing(books, await loadJson(dir, 'routing.json'))
  workflow(books, await loadJson(dir, 'automation.json'))
  duplicates(books.lead.filter((l) => isValid('lead', l)), await loadJson(dir, 'incoming.json'))
  portfolio(books.property)
  const ledger = commissions(books, await loadJson(dir, 'plans.json'), await loadJson(dir, 'withholding.json'))
  calculators(await loadJson(dir, 'pricing.json'))
  await keepInStore(books, ledger)
  console.log(`\n${flawed} record(s) need fixing before import; everything else is valid.`)
}

try {
  await main()
} catch (e) {
  console.error(`quickstart: ${e instanceof crm.CrmError ? `${e.message} [${e.code}]` : (e?.stack ?? e)}`)
  process.exitCode = 1
}
