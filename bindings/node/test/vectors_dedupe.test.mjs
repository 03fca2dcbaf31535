// dedupe.json through the Node API (the Rust runner: tests/vectors_dedupe.rs).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as crm from 'realestate-crm'
import { load, Report, show } from './helpers.mjs'

test('dedupe.json: keys, weights, pairs, books, ingestion, merges, configurations', async () => {
  const doc = load('dedupe.json')
  const tol = doc.score_tolerance ?? 0.001
  const r = new Report()
  let n = 0
  for (const c of doc.normalization) {
    n++
    const cid = r.id(c)
    const got = crm.matchKey(c.kind, c.input)
    if (show(got) !== show(c.expect)) r.fail(cid, `${show(c.input)}: expected ${show(c.expect)}, got ${show(got)}`)
  }
  for (const c of doc.weights) {
    n++
    const cid = r.id(c)
    const w = crm.fieldWeights(c.m, c.u)
    if (Math.abs(w.agreement - c.expect.agreement) > tol || Math.abs(w.disagreement - c.expect.disagreement) > tol) r.fail(cid, `got ${show(w)}`)
  }
  for (const c of doc.pairs) {
    n++
    const cid = r.id(c)
    const s = crm.compareLeads(c.a, c.b, c.config)
    const m = crm.compareLeads(c.b, c.a, c.config)
    if (show(s) !== show(m)) r.fail(cid, 'compare(a, b) and compare(b, a) differ')
    const e = c.expect
    for (const key of ['decision', 'rule']) if (key in e && s[key] !== e[key]) r.fail(cid, `${key}: expected ${e[key]}, got ${s[key]}`)
    if ('score' in e && Math.abs(s.score - e.score) > tol) r.fail(cid, `score: expected ${e.score}, got ${s.score}`)
    for (const [f, outcome] of Object.entries(e.evidence ?? {})) {
      const found = (s.evidence ?? []).find((x) => x.field === f)?.outcome ?? null
      if (found !== outcome) r.fail(cid, `evidence ${f}: expected ${outcome}, got ${found}`)
    }
  }
  for (const c of doc.books) {
    n++
    const cid = r.id(c)
    const pairs = crm.findDuplicates(c.leads, c.config)
    const got = pairs.map((p) => ({ a: p.a, b: p.b, decision: p.decision }))
    if (show(got) !== show(c.expect)) r.fail(cid, `expected ${show(c.expect)}, got ${show(got)}`)
    if (show(await crm.findDuplicatesAsync(c.leads, c.config)) !== show(pairs)) r.fail(cid, 'findDuplicatesAsync differs')
  }
  for (const c of doc.ingestion) {
    n++
    const cid = r.id(c)
    const found = crm.findExisting(c.new, c.book, c.config)
    const got = found === null ? null : { index: found.index, by: found.by, decision: found.score.decision }
    if (show(got) !== show(c.expect)) r.fail(cid, `expected ${show(c.expect)}, got ${show(got)}`)
  }
  for (const c of doc.merges) {
    n++
    const cid = r.id(c)
    const plan = crm.mergePlan(c.a, c.b)
    const e = c.expect
    const side = { a: c.a.id, b: c.b.id }
    if (plan.survivor !== side[e.survivor]) r.fail(cid, `survivor ${plan.survivor}`)
    if (plan.survivor_reason !== e.survivor_reason) r.fail(cid, `survivor_reason ${plan.survivor_reason}`)
    if ('portal_keys' in e && show(plan.portal_keys) !== show(e.portal_keys)) r.fail(cid, `portal_keys ${show(plan.portal_keys)}`)
    for (const [path, want] of Object.entries(e.fields)) {
      const choice = plan.fields.find((f) => f.field === path)
      if (!choice) {
        r.fail(cid, `no choice for ${path}`)
        continue
      }
      if (choice.from !== side[want.from] || choice.reason !== want.reason) r.fail(cid, `${path}: ${show(choice)}`)
      if ('value' in want && show(choice.value) !== show(want.value)) r.fail(cid, `${path}.value: ${show(choice.value)}`)
      if ('discarded' in want && show(choice.discarded ?? null) !== show(want.discarded)) r.fail(cid, `${path}.discarded: ${show(choice.discarded)}`)
    }
    const merged = plan.merged
    for (const [key, want] of Object.entries(e.merged ?? {})) {
      const got = key === 'consents_count' ? (merged.consents ?? []).length : merged[key]
      const same = got instanceof Date ? got.getTime() === new Date(want).getTime() : show(got) === show(want)
      if (!same) r.fail(cid, `merged.${key}: expected ${show(want)}, got ${show(got)}`)
    }
    if (crm.validateRecord('lead', merged).length) r.fail(cid, 'the merged lead does not validate')
  }
  for (const c of doc.configs) {
    n++
    const cid = r.id(c)
    let errs = []
    try {
      crm.dedupeConfig(c.config)
    } catch (ex) {
      assert.ok(ex instanceof crm.ValidationError, String(ex))
      errs = ex.errors.map((f) => ({ path: f.path, code: f.code }))
    }
    if ((errs.length === 0) !== c.expect.ok || show(errs) !== show(c.expect.errors ?? [])) r.fail(cid, `expected ${show(c.expect)}, got ${show(errs)}`)
  }
  assert.ok(n >= 40)
  r.finish('dedupe', n)
})
