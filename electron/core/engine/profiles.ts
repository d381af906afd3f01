// Persistent browser identities under <workspace>/profiles/<name>: one safe folder name
// each, and no memory of what flows typed (see prepareProfile).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Profile names become folder names: keep them to one safe path segment. */
export function profileDir(profilesDir: string, name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
    throw new Error(
      `Profile name "${name}" must be letters, digits, ".", "_" or "-" (at most 64), starting with a letter or digit`,
    )
  }
  return join(profilesDir, name)
}

// A profile keeps cookies and storage so logins survive; it must not keep what flows typed.
// Chromium would: autocomplete entries ("Web Data"), saved passwords ("Login Data") and the
// form state of open tabs for session restore ("Sessions/"), all readable on disk.
const PROFILE_PREFS = {
  autofill: { enabled: false, profile_enabled: false, credit_card_enabled: false },
  credentials_enable_service: false,
  credentials_enable_autosignin: false,
  profile: { password_manager_enabled: false },
}
const SESSION_FILES = ['Sessions', 'Current Session', 'Current Tabs', 'Last Session', 'Last Tabs']

/** Turns off form memory in a profile's preferences before Chromium opens it. */
export function prepareProfile(dir: string): void {
  const prefsDir = join(dir, 'Default')
  mkdirSync(prefsDir, { recursive: true })
  const file = join(prefsDir, 'Preferences')
  let prefs: Record<string, unknown> = {}
  try {
    prefs = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  } catch {
    // New profile, or a damaged file Chromium would reset anyway.
  }
  writeFileSync(file, JSON.stringify(deepMerge(prefs, PROFILE_PREFS)))
  forgetTypedValues(dir)
}

/** Session-restore files hold the tabs' form state; Opdesk never restores sessions. */
export function forgetTypedValues(dir: string): void {
  for (const name of SESSION_FILES) rmSync(join(dir, 'Default', name), { recursive: true, force: true })
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base }
  for (const [k, v] of Object.entries(over)) {
    const cur = out[k]
    out[k] =
      v && typeof v === 'object' && cur && typeof cur === 'object' && !Array.isArray(cur)
        ? deepMerge(cur as Record<string, unknown>, v as Record<string, unknown>)
        : v
  }
  return out
}
