// Workspace settings and the policy file: loaded when Settings opens, replaced by what the
// core answers after each save (the answer carries the resolved browser, so the view shows
// what runs would use right after the change).
import type { PolicyView, WorkspaceSettings } from '@shared/api'
import { call } from '../api/client'
import { createResource } from './resource'

export const settings = createResource(() => call('getSettings'))
export const useSettings = settings.use

export async function saveSetting<K extends keyof WorkspaceSettings>(
  key: K,
  value: WorkspaceSettings[K] | null,
): Promise<void> {
  const view = await call('updateSettings', { body: { [key]: value } })
  settings.use.setState({ data: view, status: 'ready', error: null })
}

export const policy = createResource(() => call('getPolicy'))
export const usePolicy = policy.use

/** Saves the policy file; a refused file comes back with its problems and is not written. */
export async function savePolicy(source: string): Promise<PolicyView> {
  const view = await call('putPolicy', { body: { source } })
  // Keep the stored copy as the file on disk: a refused source was not saved.
  if (view.problems.length === 0) policy.use.setState({ data: view, status: 'ready', error: null })
  return view
}
