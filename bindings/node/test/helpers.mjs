// Shared helpers of the vector runners: load a vector file, collect every failure and fail
// once at the end, compare decimals exactly (as normalised text, never as floats).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import assert from 'node:assert/strict'

const here = path.dirname(fileURLToPath(import.meta.url))
export const VECTORS = path.resolve(here, '../../../tests/vectors')

export function load(name) {
  const doc = JSON.parse(readFileSync(path.join(VECTORS, name), 'utf8'))
  assert.equal(doc.format, 1, `${name}: unknown vector format`)
  return doc
}

/** A decimal string in a canonical form: `"2.30"` and `"2.3"`, `"-0.00"` and `"0"` agree. */
export function normDecimal(s) {
  if (typeof s !== 'string' || !/^[+-]?\d+(\.\d+)?$/.test(s.trim())) return `not a decimal: ${JSON.stringify(s)}`
  let t = s.trim()
  let neg = false
  if (t[0] === '-' || t[0] === '+') {
    neg = t[0] === '-'
    t = t.slice(1)
  }
  let [int, frac = ''] = t.split('.')
  int = int.replace(/^0+(?=\d)/, '')
  frac = frac.replace(/0+$/, '')
  const body = frac ? `${int}.${frac}` : int
  return neg && body !== '0' ? `-${body}` : body
}

export const decEq = (a, b) => normDecimal(a) === normDecimal(b)

/** Compare two decimal strings exactly: -1, 0 or 1 (BigInt arithmetic on scaled integers). */
export function decCmp(a, b) {
  const scale = (s) => {
    const n = normDecimal(s)
    const neg = n.startsWith('-')
    const [i, f = ''] = (neg ? n.slice(1) : n).split('.')
    return [BigInt((neg ? '-' : '') + i + f.padEnd(40, '0')), 40]
  }
  const [x] = scale(a)
  const [y] = scale(b)
  return x < y ? -1 : x > y ? 1 : 0
}

/** Sum of decimal strings, exactly, as a normalised decimal string. */
export function decSum(list) {
  let total = 0n
  for (const s of list) {
    const n = normDecimal(s)
    const neg = n.startsWith('-')
    const [i, f = ''] = (neg ? n.slice(1) : n).split('.')
    const v = BigInt(i + f.padEnd(40, '0'))
    total += neg ? -v : v
  }
  const neg = total < 0n
  const digits = (neg ? -total : total).toString().padStart(41, '0')
  return normDecimal(`${neg ? '-' : ''}${digits.slice(0, -40)}.${digits.slice(-40)}`)
}

export class Report {
  constructor() {
    this.failures = []
    this.ids = new Set()
  }
  id(c) {
    const cid = String(c.id ?? '?')
    if (this.ids.has(cid)) this.failures.push(`[${cid}] duplicate id`)
    this.ids.add(cid)
    return cid
  }
  fail(cid, message) {
    this.failures.push(`[${cid}] ${message}`)
  }
  finish(what, total) {
    assert.ok(this.failures.length === 0, `${this.failures.length} of ${total} ${what} cases failed:\n${this.failures.join('\n')}`)
  }
}

export const show = (v) => JSON.stringify(v, (k, x) => (x instanceof Date ? x.toISOString() : x))

/** Whether two instants (Date or RFC 3339 text) are the same moment. */
export const sameInstant = (a, b) =>
  a !== null && b !== null && a !== undefined && b !== undefined && new Date(a).getTime() === new Date(b).getTime()

/** Deep equality of a result and a vector's JSON, a Date equal to the same instant as text. */
export function sameJson(got, want) {
  if (got instanceof Date) return typeof want === 'string' && sameInstant(got, want)
  if (Array.isArray(want)) return Array.isArray(got) && got.length === want.length && want.every((w, i) => sameJson(got[i], w))
  if (want !== null && typeof want === 'object') {
    if (got === null || typeof got !== 'object') return false
    const keys = new Set([...Object.keys(want), ...Object.keys(got)])
    return [...keys].every((k) => sameJson(got[k], want[k]))
  }
  return got === want
}
