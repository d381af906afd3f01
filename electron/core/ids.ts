import { randomBytes } from 'node:crypto'

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'

/**
 * Prefixed, time-ordered ids (`trk_01j…`): sorting by id sorts by creation, which keeps
 * "newest first" pages on the primary key and makes ids readable in logs.
 */
export function newId(prefix: string): string {
  let t = Date.now()
  let time = ''
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time
    t = Math.floor(t / 32)
  }
  const rand = randomBytes(10)
  let tail = ''
  for (const b of rand) tail += ALPHABET[b % 32]
  return `${prefix}_${time}${tail}`
}

export function nowIso(): string {
  return new Date().toISOString()
}
