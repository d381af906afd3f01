// What is known about each profile without asking a browser: which exist (a record, a folder
// under profiles/, or a flow naming it), the flows using each and the size on disk; the last use
// of each is a query, in store/profiles.
import { existsSync, lstatSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { PROFILE_NAME } from '../../../shared/profiles'
import type { Store } from '../store/db'
import { getFlow } from '../store/flows'
import { flowSources, listProfileRecords } from '../store/profiles'

/** The profile a flow's source names, or null (none, or a source that does not read). */
export function profileOfSource(source: string): string | null {
  let profile: unknown
  try {
    profile = (parse(source) as { profile?: unknown } | null)?.profile
  } catch {
    return null
  }
  return typeof profile === 'string' && PROFILE_NAME.test(profile) ? profile : null
}

/** The profile a saved flow's runs use, or null. */
export function profileOfFlow(store: Store, flowId: string): string | null {
  const flow = getFlow(store, flowId)
  return flow ? profileOfSource(flow.source) : null
}

/** Flow names by the profile they name (a flow that does not read names none). */
export function flowsByProfile(store: Store): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const f of flowSources(store)) {
    const profile = profileOfSource(f.source)
    if (!profile) continue
    const list = out.get(profile)
    if (list) list.push(f.name)
    else out.set(profile, [f.name])
  }
  return out
}

export function profileFolders(profilesDir: string): string[] {
  if (!existsSync(profilesDir)) return []
  return readdirSync(profilesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && PROFILE_NAME.test(d.name))
    .map((d) => d.name)
}

/** Every profile name Opdesk knows, sorted. */
export function knownProfiles(store: Store, profilesDir: string, flows = flowsByProfile(store)): string[] {
  const names = new Set<string>([
    ...listProfileRecords(store).map((r) => r.name),
    ...profileFolders(profilesDir),
    ...flows.keys(),
  ])
  return [...names].sort()
}

/** Bytes under a folder (symlinks not followed); null when the folder does not exist. */
export function folderSize(dir: string): number | null {
  if (!existsSync(dir)) return null
  let total = 0
  const stack = [dir]
  while (stack.length) {
    const d = stack.pop()!
    let entries
    try {
      entries = readdirSync(d, { withFileTypes: true })
    } catch {
      continue // removed while we walked it (Chromium rotates files)
    }
    for (const e of entries) {
      const p = join(d, e.name)
      if (e.isDirectory()) stack.push(p)
      else if (e.isFile()) {
        try {
          total += lstatSync(p).size
        } catch {
          // gone meanwhile
        }
      }
    }
  }
  return total
}
