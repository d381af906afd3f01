// Profiles and their login health: the list the Profiles view shows, and its two actions.
import type { ProfileCheck } from '@shared/profiles'
import { call } from '../api/client'
import { href } from '../lib/route'
import { createResource } from './resource'

export const profiles = createResource(() => call('listProfiles'))
export const useProfiles = profiles.use

export async function checkProfile(name: string): Promise<void> {
  await call('checkProfile', { params: { name } })
  void profiles.load()
}

/** Opens a login run and goes to its takeover view, where the person logs in. */
export async function loginProfile(name: string): Promise<void> {
  const run = await call('loginProfile', { params: { name } })
  window.location.hash = href.takeover(run.id)
}

/** Creates the profile or replaces its login check. */
export async function saveProfileCheck(name: string, check: ProfileCheck): Promise<void> {
  await call('putProfile', { body: { name, check } })
  void profiles.load()
}
