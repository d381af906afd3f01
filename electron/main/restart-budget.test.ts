import { describe, expect, it } from 'vitest'
import { RestartBudget } from './restart-budget'

describe('RestartBudget', () => {
  it('allows a few restarts a minute, then one more each time the oldest is a minute old', () => {
    let t = 0
    const b = new RestartBudget(3, 60_000, () => t)
    const at = (ms: number) => ((t = ms), b.take())
    expect([at(0), at(10_000), at(20_000), at(30_000)]).toEqual([true, true, true, false])
    expect(at(59_999)).toBe(false)
    expect(at(60_001)).toBe(true)
    expect(at(60_002)).toBe(false)
  })
})
