// `terms` on an approval step: parameter names or `name: value` entries, read into one map
// and filled with the run's parameters; mistakes reported at their line.
import { describe, expect, it } from 'vitest'
import { parseFlow } from './parse'
import { withParams } from '../engine/actions'

const flow = (terms: string) => `name: Pay
params:
  amount: { default: "100" }
  payee: { default: "ACME" }
steps:
  - goto: https://bank.example/pay
  - approval: { reason: "Pay", terms: ${terms} }
`
const read = (terms: string) => parseFlow(flow(terms))

describe('approval terms in the flow format', () => {
  it('reads parameter names and name: value entries, then fills them at run time', () => {
    const r = read('[amount, { payee: "to ${params.payee}", currency: EUR }]')
    if (!r.ok) throw new Error(JSON.stringify(r.problems))
    const step = r.flow.steps[1]!
    expect(step).toMatchObject({ action: 'approval', reason: 'Pay', terms: { amount: '${params.amount}', payee: 'to ${params.payee}', currency: 'EUR' } })
    expect(withParams(step, { amount: '250', payee: 'Globex' })).toMatchObject({ terms: { amount: '250', payee: 'to Globex', currency: 'EUR' } })
  })

  it('takes a map too, and the terms change the flow hash', () => {
    const a = read('{ amount: "${params.amount} EUR" }')
    const b = read('{ amount: "${params.amount} USD" }')
    if (!a.ok || !b.ok) throw new Error('expected both to parse')
    expect(a.flow.steps[1]).toMatchObject({ terms: { amount: '${params.amount} EUR' } })
    expect(a.hash).not.toBe(b.hash)
  })

  it('reports an unknown parameter, a secret, a duplicate and a bad shape at the step', () => {
    const messages = (terms: string) => {
      const r = read(terms)
      if (r.ok) throw new Error(`expected problems for ${terms}`)
      expect(r.problems.every((p) => p.line === 7)).toBe(true)
      return r.problems.map((p) => p.message).join(' | ')
    }
    expect(messages('[amont]')).toMatch(/"amont" is not a declared parameter — did you mean "amount"\?/)
    expect(messages('[{ pin: "${secrets.pin}" }]')).toMatch(/Secrets can only be used in a "fill" value/)
    expect(messages('[amount, { amount: "x" }]')).toMatch(/The term "amount" is given twice/)
    expect(messages('"amount"')).toMatch(/"terms" must be a list/)
    expect(messages('[{ payee: "${params.nope}" }]')).toMatch(/Unknown parameter "nope"/)
  })
})
