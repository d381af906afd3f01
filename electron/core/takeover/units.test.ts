// Pure parts of takeover: key mapping, lease rules, audit batching, coordinate mapping.
import { describe, expect, it, vi } from 'vitest'
import { MOD } from '../../../shared/takeover'
import { UpMessage } from '../../../shared/takeover-schema'
import { InputAudit } from './audit'
import { toViewport } from './input'
import { keyCodeFor, keyEvent, textFor } from './keys'
import { Lease } from './lease'

describe('keys', () => {
  it('maps codes to Windows virtual key codes', () => {
    expect(keyCodeFor('KeyA', 'a')).toBe(65)
    expect(keyCodeFor('Digit7', '7')).toBe(55)
    expect(keyCodeFor('Numpad3', '3')).toBe(99)
    expect(keyCodeFor('Enter', 'Enter')).toBe(13)
    expect(keyCodeFor('ArrowLeft', 'ArrowLeft')).toBe(37)
    expect(keyCodeFor('F5', 'F5')).toBe(116)
    expect(keyCodeFor('', 'Backspace')).toBe(8)
    expect(keyCodeFor('', 'q')).toBe(81)
    expect(keyCodeFor('', 'é')).toBe(0)
  })

  it('inserts text only for characters without Ctrl/Meta (AltGr still types)', () => {
    expect(textFor('a', 0)).toBe('a')
    expect(textFor('A', MOD.shift)).toBe('A')
    expect(textFor('a', MOD.ctrl)).toBeUndefined()
    expect(textFor('a', MOD.meta)).toBeUndefined()
    expect(textFor('@', MOD.ctrl | MOD.alt)).toBe('@')
    expect(textFor('Enter', 0)).toBe('\r')
    expect(textFor('Tab', 0)).toBeUndefined()
    expect(textFor('😀', 0)).toBe('😀')
  })

  it('builds CDP key events, with editing commands on macOS', () => {
    const m = { key: 'a', code: 'KeyA', modifiers: MOD.meta, repeat: false, location: 0 }
    expect(keyEvent({ ...m, action: 'down' }, 'other')).toMatchObject({
      type: 'rawKeyDown',
      windowsVirtualKeyCode: 65,
      modifiers: 4,
    })
    expect(keyEvent({ ...m, action: 'down' }, 'mac').commands).toEqual(['selectAll'])
    expect(keyEvent({ ...m, modifiers: 0, action: 'down' }, 'other')).toMatchObject({ type: 'keyDown', text: 'a' })
    expect(keyEvent({ ...m, action: 'up' }, 'other')).toMatchObject({ type: 'keyUp' })
  })
})

describe('coordinates', () => {
  it('maps a fraction of the box onto the viewport in CSS pixels', () => {
    expect(toViewport(0.5, 0.25, { width: 1280, height: 800 })).toEqual({ x: 640, y: 200 })
    expect(toViewport(0, 1, { width: 1280, height: 800 })).toEqual({ x: 0, y: 800 })
  })

  it('refuses fractions outside the box', () => {
    expect(UpMessage.safeParse({ type: 'mouse', action: 'down', fx: 1.01, fy: 0 }).success).toBe(false)
    expect(UpMessage.safeParse({ type: 'mouse', action: 'down', fx: 0.3, fy: 0.9 }).success).toBe(true)
  })
})

describe('lease', () => {
  it('first come, others wait; release and expiry free it', () => {
    let now = 0
    const lease = new Lease(1_000, () => now)
    expect(lease.request('a', 'alice')).toMatchObject({ ok: true, changed: true })
    expect(lease.request('a', 'alice')).toMatchObject({ ok: true, changed: false })
    expect(lease.request('b', 'bob')).toMatchObject({ ok: false, holder: { viewerId: 'a' } })
    now = 900
    lease.touch('a')
    now = 1_500
    expect(lease.request('b', 'bob').ok).toBe(false) // input at 900 kept it fresh
    now = 2_000
    expect(lease.expire()).toBe(true)
    expect(lease.holder).toBeNull()
    lease.request('b', 'bob')
    expect(lease.release('a')).toBe(false)
    expect(lease.release('b')).toBe(true)
  })
})

describe('input audit', () => {
  it('batches counts, flushes soon after a committing input, and never carries values', () => {
    vi.useFakeTimers()
    try {
      const emit = vi.fn()
      const audit = new InputAudit(emit, 2_000)
      audit.note('keys', 'v1')
      audit.note('keys', 'v1')
      expect(emit).not.toHaveBeenCalled()
      vi.advanceTimersByTime(2_000)
      expect(emit).toHaveBeenCalledWith('takeover.input', {
        mouse: 0,
        keys: 2,
        text: 0,
        wheel: 0,
        paste: 0,
        dialog: 0,
        select: 0,
        viewer: 'v1',
      })
      audit.note('mouse', 'v1', true)
      vi.advanceTimersByTime(300)
      expect(emit).toHaveBeenCalledTimes(2)
      audit.flush()
      expect(emit).toHaveBeenCalledTimes(2) // nothing pending: no empty event
    } finally {
      vi.useRealTimers()
    }
  })
})
