// The package loads through require() too, with the same objects as through import.
const { test } = require('node:test')
const assert = require('node:assert/strict')

test('CommonJS and ES module entries load one package', async () => {
  const cjs = require('realestate-crm')
  const esm = await import('realestate-crm')
  assert.equal(typeof cjs.parseCpf, 'function')
  assert.equal(esm.parseCpf, cjs.parseCpf)
  assert.equal(esm.default, cjs)
  assert.equal(esm.CrmError, cjs.CrmError)
  let caught
  try {
    cjs.parseCpf('123')
  } catch (e) {
    caught = e
  }
  assert.ok(caught instanceof esm.ValidationError)
  assert.equal(caught.code, 'validation.cpf.length')
  // Every named export of the CommonJS entry is a named export of the ES module one.
  assert.deepEqual(Object.keys(esm).filter((k) => k !== 'default').sort(), Object.keys(cjs).sort())
})
