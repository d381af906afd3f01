// The workspace's flows/ folder and the flows table mirror each other: a file dropped
// into the folder is registered at start-up; a flow registered through the API is written
// back as a file so it can be versioned with the workspace.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, extname, join } from 'node:path'
import type { Logger } from '../log'
import type { Store } from '../store/db'
import { getFlow, upsertFlow } from '../store/flows'
import { parseFlow } from './parse'

export function flowFileName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return `${slug || 'flow'}.yaml`
}

export function saveFlowFile(dir: string, name: string, source: string): string {
  const file = join(dir, flowFileName(name))
  // Write then rename: a crash never leaves half a flow file behind.
  writeFileSync(`${file}.tmp`, source)
  renameSync(`${file}.tmp`, file)
  return file
}

/** Registers every valid flow file in the folder; a broken file is reported and skipped. */
export function importFlowFolder(
  store: Store,
  dir: string,
  log: Logger,
  secretNames: Set<string>,
): { imported: string[]; broken: string[] } {
  const imported: string[] = []
  const broken: string[] = []
  if (!existsSync(dir)) return { imported, broken }
  for (const f of readdirSync(dir)) {
    if (!['.yaml', '.yml'].includes(extname(f))) continue
    const source = readFileSync(join(dir, f), 'utf8')
    const parsed = parseFlow(source, { secretNames })
    if (!parsed.ok) {
      broken.push(f)
      const first = parsed.problems[0]
      log.warn(`flows/${f} was not registered: line ${first?.line}, column ${first?.column}: ${first?.message}`)
      continue
    }
    const existing = getFlow(store, parsed.flow.name)
    if (existing?.hash === parsed.hash) continue
    upsertFlow(store, { name: parsed.flow.name, source, hash: parsed.hash, by: 'flows folder' })
    imported.push(basename(f))
  }
  return { imported, broken }
}

/** Removes a renamed flow's old file, unless the new name maps to the same file. */
export function removeFlowFile(dir: string, oldName: string, newName: string): void {
  if (flowFileName(oldName) === flowFileName(newName)) return
  rmSync(join(dir, flowFileName(oldName)), { force: true })
}
