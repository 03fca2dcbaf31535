// workflow.json, decision.json, routing.json and sla.json through the Node API (the Rust
// runners: tests/vectors_{workflow,decision,routing,sla}.rs).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as crm from 'realestate-crm'
import { load, Report, show, sameInstant, sameJson } from './helpers.mjs'

const when = (s) => new Date(s)
const errorsMatch = (want, got) => want.length === got.length && want.every((w, i) => w.code === got[i].code && (!('path' in w) || w.path === got[i].path))

function coded(e) {
  if (!(e instanceof crm.CrmError)) throw e
  return e
}

test('workflow.json: transitions, invalid pipelines, automation rules', () => {
  const doc = load('workflow.json')
  const cases = doc.cases
  assert.ok(cases.length >= 40)
  const cal = new crm.BusinessCalendar()
  const r = new Report()
  const per = {}
  for (const c of cases) {
    const cid = r.id(c)
    const f = c.feature
    per[f] = (per[f] ?? 0) + 1
    const e = c.expect ?? {}
    if (f === 'transition') {
      const p = new crm.Pipeline(c.pipeline)
      try {
        const { record, transition: t } = p.transition(c.record, c.to, { ...c.context, now: when(c.context.now) })
        if (!('ok' in e)) {
          r.fail(cid, `expected an error, got ${show(t)}`)
          continue
        }
        const got = { from: t.from, to: t.to, kind: t.kind }
        if (show(got) !== show(e.ok) || record[p.stageField] !== c.to || !(t.at instanceof Date) || !sameInstant(t.at, c.context.now)) {
          r.fail(cid, `expected ${show(e.ok)}, got ${show(got)}, record ${record[p.stageField]}`)
        }
      } catch (ex) {
        coded(ex)
        if ('ok' in e || !errorsMatch(e.errors, ex.errors)) r.fail(cid, `expected ${show(e)}, got ${ex.code} ${show(ex.errors)}`)
      }
    } else if (f === 'pipeline_invalid') {
      try {
        new crm.Pipeline(c.pipeline)
        r.fail(cid, 'accepted')
      } catch (ex) {
        coded(ex)
        if (!errorsMatch(e.errors, ex.errors)) r.fail(cid, `expected ${show(e.errors)}, got ${show(ex.errors)}`)
      }
    } else if (f === 'rules') {
      const options = { calendar: c.calendar === 'sao_paulo' ? cal : undefined, depth: c.depth ?? 0 }
      const ev = crm.evaluateRules(c.rules, c.event, when(c.now), options)
      const again = crm.evaluateRules(c.rules, c.event, when(c.now), options)
      const fired = ev.fired.map((x) => x.rule_id)
      if (show(ev) !== show(again) || ev.trace.length !== c.rules.length) r.fail(cid, 'not deterministic or a trace entry missing')
      if (show(fired) !== show(e.fired)) r.fail(cid, `fired: expected ${show(e.fired)}, got ${show(fired)}`)
      if ('intents' in e) {
        const got = ev.fired.flatMap((x) => (x.intents ?? []).map((i) => ({ rule_id: x.rule_id, intent: i })))
        if (show(got) !== show(e.intents)) r.fail(cid, `intents: expected ${show(e.intents)}, got ${show(got)}`)
      }
      for (const [ruleId, want] of Object.entries(e.why ?? {})) {
        const entry = ev.trace.find((t) => t.rule_id === ruleId)
        if (!entry || !sameJson(entry.why, want)) r.fail(cid, `why ${ruleId}: expected ${show(want)}, got ${show(entry)}`)
      }
    } else if (f === 'rules_invalid' || f === 'rules_valid') {
      try {
        new crm.AutomationRules(c.rules)
        if (f === 'rules_invalid') r.fail(cid, 'accepted')
      } catch (ex) {
        coded(ex)
        if (f === 'rules_valid' || !errorsMatch(e.errors, ex.errors)) r.fail(cid, `expected ${show(e)}, got ${show(ex.errors)}`)
      }
    } else {
      r.fail(cid, `unknown feature ${f}`)
    }
  }
  for (const [feature, least] of Object.entries({ transition: 20, pipeline_invalid: 8, rules: 25, rules_invalid: 5, rules_valid: 2 })) {
    assert.ok((per[feature] ?? 0) >= least, feature)
  }
  r.finish('workflow', cases.length)
})

test('decision.json: hit policies, aggregations, checks, invalid tables', () => {
  const doc = load('decision.json')
  const cases = doc.cases
  assert.ok(cases.length >= 60)
  const r = new Report()
  for (const c of cases) {
    const cid = r.id(c)
    const table = typeof c.table === 'string' ? doc.tables[c.table] : c.table
    if (c.kind === 'invalid') {
      try {
        new crm.DecisionTable(table)
        r.fail(cid, 'accepted')
      } catch (ex) {
        coded(ex)
        const got = ex.errors.map((f) => ({ path: f.path, code: f.code }))
        if (show(got) !== show(c.expect_errors)) r.fail(cid, `expected ${show(c.expect_errors)}, got ${show(got)}`)
      }
      continue
    }
    const t = new crm.DecisionTable(table)
    if (c.kind === 'check') {
      const rep = t.check()
      const got = {
        gaps: (rep.gaps ?? []).map((g) => g.description),
        overlaps: (rep.overlaps ?? []).map((o) => ({ rows: o.rows, where: o.description })),
        not_analysed: (rep.not_analysed ?? []).map((x) => x.path),
      }
      if (rep.truncated || show(got) !== show(c.expect_report)) r.fail(cid, `expected ${show(c.expect_report)}, got ${show(got)}`)
      continue
    }
    try {
      const d = t.evaluate(c.record)
      if (!('expect' in c)) {
        r.fail(cid, `expected ${show(c.expect_error)}, got ${show(d)}`)
        continue
      }
      const got = { outputs: d.outputs, matched_rows: d.matched_rows, selected_row: d.selected_row ?? null }
      if ('aggregate' in c.expect) got.aggregate = 'aggregate' in d ? d.aggregate : '<none>'
      if (show(got) !== show(c.expect)) r.fail(cid, `expected ${show(c.expect)}, got ${show(got)}`)
    } catch (ex) {
      coded(ex)
      const want = c.expect_error
      if (!want) {
        r.fail(cid, `unexpected ${ex.code}: ${ex.message}`)
        continue
      }
      if (ex.code !== want.code) r.fail(cid, `code ${ex.code}`)
      if ('path' in want && (ex.errors.length ? ex.errors[0].path : '') !== want.path) r.fail(cid, `path ${show(ex.errors)}`)
      for (const row of want.rows ?? []) if (!ex.message.includes(`rows[${row}]`)) r.fail(cid, `message ${ex.message} does not name rows[${row}]`)
    }
  }
  r.finish('decision', cases.length)
})

test('routing.json: routing steps carrying the state, offers, policies', () => {
  const doc = load('routing.json')
  const r = new Report()
  assert.ok(doc.cases.length >= 30 && doc.policies.length >= 10)
  for (const c of doc.cases) {
    const cid = r.id(c)
    let state = c.state
    for (const [i, step] of c.steps.entries()) {
      const agents = step.agents ?? c.agents
      const e = step.expect
      let d
      try {
        d =
          step.call === 'route'
            ? crm.routeLead(step.lead, c.policy, agents, when(step.now), { state, seed: step.seed, property: step.property, language: step.language })
            : crm.resolveOffer(c.policy, state ?? {}, step.offer_id, step.claimed_by, agents, when(step.now), step.seed)
      } catch (ex) {
        coded(ex)
        if ('error' in e) {
          if (ex.code !== e.error) r.fail(cid, `step ${i}: code ${ex.code}`)
        } else if ('errors' in e) {
          const got = ex.errors.map((f) => ({ path: f.path, code: f.code }))
          if (show(got) !== show(e.errors)) r.fail(cid, `step ${i}: errors ${show(got)}`)
        } else {
          r.fail(cid, `step ${i}: unexpected ${ex.code} ${ex.message}`)
        }
        break
      }
      if ('error' in e || 'errors' in e) {
        r.fail(cid, `step ${i}: expected an error, got ${show(d.assignment)}`)
        break
      }
      if ('assignment' in e && !sameJson(d.assignment, e.assignment)) r.fail(cid, `step ${i}: assignment ${show(d.assignment)} (expected ${show(e.assignment)})`)
      if ('team' in e && show(d.team ?? null) !== show(e.team)) r.fail(cid, `step ${i}: team ${show(d.team)}`)
      const newState = d.new_state
      if ('cursors' in e && show(newState.cursors ?? {}) !== show(e.cursors)) r.fail(cid, `step ${i}: cursors ${show(newState.cursors)}`)
      if ('offers' in e && (newState.offers ?? []).length !== e.offers) r.fail(cid, `step ${i}: offers ${show(newState.offers)}`)
      for (const reason of e.reasons_include ?? []) {
        if (!(d.reasons ?? []).some((x) => sameJson(x, reason))) r.fail(cid, `step ${i}: missing reason ${show(reason)} in ${show(d.reasons)}`)
      }
      state = newState
    }
  }
  for (const c of doc.policies) {
    const cid = r.id(c)
    let got = []
    try {
      crm.routingPolicy(c.policy)
    } catch (ex) {
      coded(ex)
      got = ex.errors.map((f) => ({ path: f.path, code: f.code }))
    }
    if (show(got) !== show(c.expect.errors)) r.fail(cid, `expected ${show(c.expect.errors)}, got ${show(got)}`)
  }
  r.finish('routing', doc.cases.length + doc.policies.length)
})

test('sla.json: business calendars and SLAs', () => {
  const doc = load('sla.json')
  const cals = Object.fromEntries(Object.entries(doc.calendars).map(([n, c]) => [n, new crm.BusinessCalendar(c)]))
  const pols = Object.fromEntries(Object.entries(doc.policies).map(([n, p]) => [n, new crm.SlaPolicy(p)]))
  const r = new Report()
  let total = 0
  const minimum = { add_business_minutes: 30, add_business_days: 8, business_minutes_between: 6, is_working_time: 6, holidays_in: 4, easter: 4, sla_check: 12, invalid_calendars: 6, invalid_policies: 8 }
  for (const [kind, least] of Object.entries(minimum)) {
    assert.ok(doc[kind].length >= least, kind)
    for (const c of doc[kind]) {
      total++
      const cid = r.id(c)
      const cal = typeof c.calendar === 'string' ? cals[c.calendar] : undefined
      try {
        if (kind === 'add_business_minutes' || kind === 'add_business_days') {
          try {
            const got = kind === 'add_business_minutes' ? cal.addBusinessMinutes(when(c.from), c.minutes) : cal.addBusinessDays(when(c.from), c.days)
            if ('error' in c || !(got instanceof Date) || !sameInstant(got, c.expect)) r.fail(cid, `got ${show(got)}`)
          } catch (ex) {
            coded(ex)
            if (c.error !== ex.code) r.fail(cid, `got ${ex.code}`)
          }
        } else if (kind === 'business_minutes_between') {
          if (cal.businessMinutesBetween(when(c.from), when(c.to)) !== c.expect) r.fail(cid, 'minutes differ')
        } else if (kind === 'is_working_time') {
          if (cal.isWorkingTime(when(c.at)) !== c.expect) r.fail(cid, 'differs')
        } else if (kind === 'holidays_in') {
          const days = cal.holidaysIn(c.year).map((h) => h.date)
          if (show(days) !== show(c.expect)) r.fail(cid, `got ${show(days)}`)
          for (const d of c.expect) if (!cal.isHoliday(d) || cal.isBusinessDay(d)) r.fail(cid, `${d} is not a closed holiday`)
        } else if (kind === 'easter') {
          if (crm.easterSunday(c.year) !== c.expect) r.fail(cid, `got ${crm.easterSunday(c.year)}`)
        } else if (kind === 'sla_check') {
          const pol = pols[c.policy]
          const s = pol.check(when(c.started_at), when(c.now), cal, c.met_at ? when(c.met_at) : null)
          const e = c.expect
          if (!sameInstant(s.deadline, e.deadline) || !(s.deadline instanceof Date) || s.state !== e.state || s.business_minutes_left_or_over !== e.business_minutes_left_or_over || show(s.escalations_due ?? []) !== show(e.escalations_due)) {
            r.fail(cid, `got ${show(s)}`)
          }
          const steps = pol.toJSON().escalate ?? []
          if (show((s.escalations_due ?? []).map((i) => steps[i].intent)) !== show(s.intents ?? [])) r.fail(cid, 'intents do not match the due steps')
          if ('next_check_at' in e) {
            const same = e.next_check_at === null ? (s.next_check_at ?? null) === null : sameInstant(s.next_check_at, e.next_check_at)
            if (!same) r.fail(cid, `next_check_at ${show(s.next_check_at)}`)
          }
        } else if (kind === 'invalid_calendars') {
          let errs = []
          try {
            new crm.BusinessCalendar(c.calendar)
          } catch (ex) {
            errs = coded(ex).errors
          }
          if (!errorsMatch(c.errors, errs)) r.fail(cid, `got ${show(errs)}`)
        } else if (kind === 'invalid_policies') {
          let errs = []
          try {
            crm.validateSlaPolicies(c.policies)
          } catch (ex) {
            errs = coded(ex).errors
          }
          if (!errorsMatch(c.errors, errs)) r.fail(cid, `got ${show(errs)}`)
        }
      } catch (ex) {
        coded(ex)
        r.fail(cid, `unexpected ${ex.code}: ${ex.message}`)
      }
    }
  }
  r.finish('sla', total)
})
