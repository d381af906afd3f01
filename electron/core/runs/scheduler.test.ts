// The run queue's capacity gate: browser runs wait (still queued) while the pool says there
// is no room, other runs pass them, and room appearing starts the waiting run in order.
import { describe, expect, it } from 'vitest'
import { RunQueue, type QueuedItem, type RunCapacity } from './scheduler'

function gate(initial: number): RunCapacity & { free: number; open(n: number): void } {
  const listeners = new Set<() => void>()
  return {
    free: initial,
    hasRoom(kind) {
      return kind !== 'browser' || this.free > 0
    },
    onRoom(cb) {
      listeners.add(cb)
      return () => listeners.delete(cb)
    },
    open(n) {
      this.free += n
      for (const l of listeners) l()
    },
  }
}

describe('RunQueue with a capacity gate', () => {
  it('holds browser runs without room, lets command runs pass, and starts in order when room appears', async () => {
    const cap = gate(1)
    const started: string[] = []
    const finish = new Map<string, () => void>()
    const queue = new RunQueue(
      8,
      (item: QueuedItem) => {
        started.push(item.runId)
        if (item.kind === 'browser') cap.free-- // a started browser run takes its place at once, as the pool does
        return new Promise<void>((r) => finish.set(item.runId, r))
      },
      cap,
    )
    queue.enqueue({ runId: 'b1', lock: null, kind: 'browser' })
    queue.enqueue({ runId: 'b2', lock: null, kind: 'browser' })
    queue.enqueue({ runId: 'b3', lock: null, kind: 'browser' })
    queue.enqueue({ runId: 'c1', lock: null, kind: 'command' })
    expect(started).toEqual(['b1', 'c1'])
    expect(queue.waiting).toBe(2)
    cap.open(1)
    expect(started).toEqual(['b1', 'c1', 'b2'])
    finish.get('b1')!()
    await new Promise((r) => setTimeout(r, 0))
    expect(started).toEqual(['b1', 'c1', 'b2']) // a run ending frees nothing until the pool says so
    cap.open(1)
    expect(started).toEqual(['b1', 'c1', 'b2', 'b3'])
    expect(queue.waiting).toBe(0)
  })
})
