// Profiles as first-class objects and their login health (DESIGN.md "Profiles and login
// health"). Pure TypeScript + zod: shared by core, shells and renderer.
import { z } from 'zod'

export const PROFILE_HEALTH_STATES = ['ok', 'stale', 'unknown', 'checking'] as const
export type ProfileHealthState = (typeof PROFILE_HEALTH_STATES)[number]

/** Profile names become folder names under profiles/: one safe path segment. */
export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/
export const profileNameSchema = z
  .string()
  .regex(PROFILE_NAME, 'must be letters, digits, ".", "_" or "-" (at most 64), starting with a letter or digit')

/**
 * What "logged in" means on the checked page: an element is visible (selector), a text is
 * visible, or the page is not the login page (the url did not land on `notUrl`, a glob).
 */
export const LoginCondition = z.union([
  z.strictObject({ selector: z.string().trim().min(1).max(500) }),
  z.strictObject({ text: z.string().trim().min(1).max(500) }),
  z.strictObject({ notUrl: z.string().trim().min(1).max(2000) }),
])
export type LoginCondition = z.infer<typeof LoginCondition>

const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .regex(/^https?:\/\/\S+$/, 'must be an http:// or https:// url')

export const ProfileCheckInput = z.strictObject({
  /** The page the check opens. */
  url: httpUrl,
  when: LoginCondition,
  /** Where "Log in now" opens the browser (default: the check's url). */
  loginUrl: httpUrl.nullable().optional(),
  /** Run the check every N minutes (null: only on demand and before scheduled runs). */
  intervalMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .nullable()
    .optional(),
  /** How long before a scheduled run the check runs (default 30). */
  leadMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .nullable()
    .optional(),
})
export type ProfileCheck = z.output<typeof ProfileCheckInput>

export const ProfileInput = z.strictObject({
  name: profileNameSchema,
  /** null removes the check (health becomes unknown). */
  check: ProfileCheckInput.nullable(),
})

export const DEFAULT_LEAD_MINUTES = 30

export interface ProfileHealth {
  state: ProfileHealthState
  checkedAt: string | null
  reason: string | null
}

/** One row of GET /api/profiles. */
export interface ProfileView {
  name: string
  /** Names of the stored flows whose `profile` is this one. */
  flows: string[]
  lastUsedAt: string | null
  /** Bytes on disk of profiles/<name>; null when the folder does not exist. */
  size: number | null
  health: ProfileHealth
  check: ProfileCheck | null
  /** The check or login run in flight, if any. */
  checkRunId: string | null
  loginRunId: string | null
}

/** What the profile a track waits on is called in its waitingOn. */
export const loginWaitingOn = (profile: string): string => `login for ${profile}`
