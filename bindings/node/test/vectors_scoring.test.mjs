// scoring.json through the Node API (the Rust runner: tests/vectors_scoring.rs).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as crm from 'realestate-crm'
import { load, Report, show } from './helpers.mjs'

const milli = (x) => (x === null || x === undefined ? null : Math.round(Number(x) * 1000))

test('scoring.json: fit, consent, engagement, decay, caps, bands, reasons, rule-set validation', () => {
  const doc = load('scoring.json')
  const cases = doc.cases
  assert.ok(cases.length >= 140)
  const r = new Report()
  const per = {}
  for (const c of cases) {
    const cid = r.id(c)
    per[c.feature] = (per[c.feature] ?? 0) + 1
    const expect = c.expect
    if ('errors' in expect) {
      try {
        new crm.Scorer(c.rules)
        r.fail(cid, 'the rule set was accepted')
      } catch (e) {
        assert.ok(e instanceof crm.ValidationError, String(e))
        const got = e.errors.map((f) => ({ path: f.path, code: f.code }))
        if (show(got) !== show(expect.errors)) r.fail(cid, `expected ${show(expect.errors)}, got ${show(got)}`)
      }
      continue
    }
    const scorer = new crm.Scorer(c.rules)
    const s = scorer.score(c.lead, new Date(c.now), { activities: c.activities, property: c.property })
    const diffs = []
    if (s.lead_id !== c.lead.id) diffs.push('lead_id')
    for (const key of ['fit', 'engagement', 'score']) {
      if (key in expect && milli(expect[key]) !== milli(s[key])) diffs.push(`${key}: expected ${expect[key]}, got ${s[key]}`)
    }
    if ('band' in expect && expect.band !== s.band) diffs.push(`band: expected ${expect.band}, got ${s.band}`)
    if ('reasons' in expect) {
      const want = expect.reasons
      const got = s.reasons ?? []
      if (want.length !== got.length) diffs.push(`reasons: expected ${show(want)}, got ${show(got)}`)
      else {
        want.forEach((w, i) => {
          for (const [k, v] of Object.entries(w)) {
            const same = ['points', 'after_decay', 'after_caps'].includes(k) ? milli(v) === milli(got[i][k]) : show(v) === show(got[i][k])
            if (!same) diffs.push(`reason ${w.rule}.${k}: expected ${show(v)}, got ${show(got[i][k])}`)
          }
        })
      }
    }
    if (diffs.length) r.fail(cid, diffs.join('; '))
  }
  for (const [feature, least] of Object.entries({ fit: 50, consent: 8, engagement: 6, decay: 10, caps: 8, score: 12, order: 2, default: 4, invalid: 12 })) {
    assert.ok((per[feature] ?? 0) >= least, feature)
  }
  r.finish('scoring', cases.length)
})

test('scoreMany and scoreManyAsync match single scores', async () => {
  const doc = load('scoring.json')
  const cases = doc.cases.filter((c) => c.rules === 'default' && !('errors' in c.expect))
  const scorer = new crm.Scorer()
  const now = new Date('2026-11-26T09:00:00Z')
  assert.ok(cases.length >= 4)
  for (const c of cases) {
    // The default cases share one lead id, so each is its own book here.
    const single = scorer.score(c.lead, now, { activities: c.activities, property: c.property })
    const many = scorer.scoreMany([c.lead], now, { activities: c.activities, properties: [c.property] })
    assert.deepEqual(many, [single])
    assert.deepEqual(await scorer.scoreManyAsync([c.lead], now, { activities: c.activities, properties: [c.property] }), [single])
  }
})
