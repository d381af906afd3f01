// Profile records: the login check an operator set, the health the last check or login left,
// and which tracks wait for a profile's login. Plain functions over a Store.
import type { ProfileCheck } from '../../../shared/profiles'
import { nowIso } from '../ids'
import { cached, type Store } from './db'

export type StoredHealth = 'ok' | 'stale' | 'unknown'

export interface ProfileRecord {
  name: string
  createdAt: string
  lastUsedAt: string | null
  check: ProfileCheck | null
  healthState: StoredHealth
  healthReason: string | null
  checkedAt: string | null
}

interface Row {
  name: string
  created_at: string
  last_used_at: string | null
  check: string | null
  health_state: StoredHealth
  health_reason: string | null
  checked_at: string | null
}

const toRecord = (r: Row): ProfileRecord => ({
  name: r.name,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  check: r.check ? (JSON.parse(r.check) as ProfileCheck) : null,
  healthState: r.health_state,
  healthReason: r.health_reason,
  checkedAt: r.checked_at,
})

export function listProfileRecords(store: Store): ProfileRecord[] {
  return (cached(store.sqlite, 'SELECT * FROM profiles ORDER BY name').all() as Row[]).map(toRecord)
}

export function getProfileRecord(store: Store, name: string): ProfileRecord | null {
  const r = cached(store.sqlite, 'SELECT * FROM profiles WHERE name = ?').get(name) as Row | undefined
  return r ? toRecord(r) : null
}

/** Creates the record if needed (a flow or a folder named the profile first). */
export function ensureProfile(store: Store, name: string): void {
  cached(store.sqlite, 'INSERT INTO profiles (name, created_at) VALUES (?, ?) ON CONFLICT(name) DO NOTHING').run(
    name,
    nowIso(),
  )
}

/** A new or changed check says nothing about the login yet: health goes back to unknown. */
export function setProfileCheck(store: Store, name: string, check: ProfileCheck | null): void {
  ensureProfile(store, name)
  cached(
    store.sqlite,
    `UPDATE profiles SET "check" = ?, health_state = 'unknown', health_reason = ?, checked_at = NULL WHERE name = ?`,
  ).run(
    check ? JSON.stringify(check) : null,
    check ? 'Not checked yet' : 'No login check is set for this profile',
    name,
  )
}

export function setProfileHealth(store: Store, name: string, state: StoredHealth, reason: string | null): void {
  ensureProfile(store, name)
  cached(store.sqlite, 'UPDATE profiles SET health_state = ?, health_reason = ?, checked_at = ? WHERE name = ?').run(
    state,
    reason,
    nowIso(),
    name,
  )
}

export function touchProfile(store: Store, name: string): void {
  ensureProfile(store, name)
  cached(store.sqlite, 'UPDATE profiles SET last_used_at = ? WHERE name = ?').run(nowIso(), name)
}

/**
 * Tracks linked to a profile: those with a browser run that used it. Finished tracks are
 * left alone by the caller (a done track does not wait for a login).
 */
export function tracksUsingProfile(store: Store, name: string): string[] {
  return (
    cached(
      store.sqlite,
      `SELECT DISTINCT track_id AS id FROM runs WHERE profile = ? AND kind = 'browser' AND track_id IS NOT NULL`,
    ).all(name) as { id: string }[]
  ).map((r) => r.id)
}

/** Marks the tracks waiting on this profile's login (a track already waiting on another keeps it). */
export function markTracksWaiting(store: Store, name: string, trackIds: string[]): string[] {
  const stmt = cached(store.sqlite, 'UPDATE tracks SET waiting_login = ? WHERE id = ? AND waiting_login IS NULL')
  return trackIds.filter((id) => stmt.run(name, id).changes > 0)
}

/** The profile is fresh again: its tracks stop waiting. Returns the tracks that changed. */
export function clearTracksWaiting(store: Store, name: string): string[] {
  const ids = (cached(store.sqlite, 'SELECT id FROM tracks WHERE waiting_login = ?').all(name) as { id: string }[]).map(
    (r) => r.id,
  )
  cached(store.sqlite, 'UPDATE tracks SET waiting_login = NULL WHERE waiting_login = ?').run(name)
  return ids
}

/** When a run last used each profile (started, else created). */
export function lastUses(store: Store): Map<string, string> {
  const rows = cached(
    store.sqlite,
    `SELECT profile, max(coalesce(started_at, created_at)) AS at FROM runs WHERE profile IS NOT NULL GROUP BY profile`,
  ).all() as { profile: string; at: string }[]
  return new Map(rows.map((r) => [r.profile, r.at]))
}

/** Stored flow names by the profile they name (read from the parsed flows by the caller). */
export function flowSources(store: Store): { name: string; source: string }[] {
  return cached(store.sqlite, 'SELECT name, source FROM flows ORDER BY name').all() as {
    name: string
    source: string
  }[]
}

/** The open login-stale alerts raised for this profile (by its check runs). */
export function openLoginStaleAlerts(store: Store, name: string): string[] {
  return (
    cached(
      store.sqlite,
      `SELECT a.id FROM alerts a JOIN runs r ON r.id = a.run_id
       WHERE a.kind = 'login-stale' AND a.acked_at IS NULL AND r.profile = ?`,
    ).all(name) as { id: string }[]
  ).map((r) => r.id)
}
