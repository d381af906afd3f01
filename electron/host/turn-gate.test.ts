// The gate lets the event loop turn between writes: I/O that is ready while a burst waits
// is handled after one turn, not after the whole burst.
import { describe, expect, it } from 'vitest'
import { TurnGate } from './turn-gate'

const busy = (ms: number) => {
  const end = performance.now() + ms
  while (performance.now() < end);
}

describe('TurnGate', () => {
  it('runs every task in order and lets the loop turn in between', async () => {
    const gate = new TurnGate(4)
    const ran: number[] = []
    const all = Array.from({ length: 100 }, (_, i) =>
      gate.run(async () => {
        busy(1)
        ran.push(i)
        return i
      }),
    )
    // A timer that is due at once stands for a read that is ready: it fires between turns.
    const seenByTimer = await new Promise<number>((r) => setTimeout(() => r(ran.length), 0))
    expect(await Promise.all(all)).toEqual(ran)
    expect(ran).toEqual([...Array(100).keys()])
    expect(seenByTimer).toBeLessThan(20)
  })

  it('passes a task failure to its caller only', async () => {
    const gate = new TurnGate()
    const bad = gate.run(() => Promise.reject(new Error('no')))
    const good = gate.run(async () => 'yes')
    await expect(bad).rejects.toThrow('no')
    await expect(good).resolves.toBe('yes')
  })
})
