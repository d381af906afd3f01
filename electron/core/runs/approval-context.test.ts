// The origins an approval names (and that its terms bind): real origins only.
import { describe, expect, it } from 'vitest'
import { flowOrigins } from './approval-context'

describe('flowOrigins', () => {
  it('takes the origins of the gotos, not the opaque "null" of about:blank', () => {
    const src = `name: O
steps:
  - goto: about:blank
  - goto: https://bank.example/pay
  - goto: https://bank.example/done
  - goto: https://portal.example/
`
    expect(flowOrigins(src)).toEqual(['https://bank.example', 'https://portal.example'])
  })
  it('prefers allowedOrigins when the flow sets them', () => {
    expect(flowOrigins(`name: O\nallowedOrigins: ["https://a.example"]\nsteps:\n  - goto: https://a.example/x\n`)).toEqual(['https://a.example'])
  })
})
