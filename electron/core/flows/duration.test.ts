import { describe, expect, it } from 'vitest'
import { MAX_DURATION_MS, formatDuration, parseDuration } from '../../../shared/flow'

describe('parseDuration', () => {
  it.each([
    [500, 500],
    [0, 0],
    [1.4, 1],
    ['500', 500],
    ['500ms', 500],
    ['30s', 30_000],
    ['1.5s', 1500],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1h 30m', 5_400_000],
    ['2h15m10s250ms', 8_110_250],
    [' 45s ', 45_000],
  ] as const)('%j → %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms)
  })

  it.each(['', '  ', 'soon', '15 minutes', '30S', '1d', '-5s', '30s1m', '1m1m', '1m30', 's', '1.2.3s', '5 s x'])(
    'refuses %j',
    (input) => {
      expect(parseDuration(input)).toBeNull()
    },
  )

  it('refuses negative, infinite and NaN numbers', () => {
    expect(parseDuration(-1)).toBeNull()
    expect(parseDuration(Number.POSITIVE_INFINITY)).toBeNull()
    expect(parseDuration(Number.NaN)).toBeNull()
  })

  it('refuses durations a timer cannot hold, unless told otherwise', () => {
    expect(parseDuration(MAX_DURATION_MS)).toBe(MAX_DURATION_MS)
    expect(parseDuration(MAX_DURATION_MS + 1)).toBeNull()
    expect(parseDuration('1000h')).toBeNull()
    expect(parseDuration('1000h', { max: Infinity })).toBe(3_600_000_000)
  })

  it('formats back', () => {
    expect(formatDuration(250)).toBe('250ms')
    expect(formatDuration(90_000)).toBe('1m30s')
    expect(formatDuration(3_600_500)).toBe('1h500ms')
    for (const ms of [1000, 61_000, 5_400_000, 8_110_250]) expect(parseDuration(formatDuration(ms))).toBe(ms)
  })
})
