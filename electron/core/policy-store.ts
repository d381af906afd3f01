// The running policy lives in the database, which command runs cannot reach; policy.yaml is only an export of
// it (and, once, the seed of a workspace made before this version). So a command that rewrites the file
// changes nothing, and every change goes through POST /api/policy, which records who made it and the diff.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import type { PolicyChange } from '../../shared/api'
import type { PolicyConfig } from '../../shared/policy'
import { nowIso } from './ids'
import { defaultPolicy, parsePolicy } from './policy'
import { transaction, type Store } from './store/db'
import { getInternal, putInternal } from './store/settings'

const SOURCE = 'internal.policy.source'
const CHANGES = 'internal.policy.changes'
/** Longer files are diffed as a whole replacement: the line diff is quadratic. */
const MAX_DIFF_LINES = 2_000

export const storedPolicySource = (store: Store): string | null => getInternal<string>(store, SOURCE) ?? null
export const policyChanges = (store: Store): PolicyChange[] => getInternal<PolicyChange[]>(store, CHANGES) ?? []

let cache: { source: string; config: PolicyConfig } | null = null

/** The policy every judgement uses: the stored one, or the shipped defaults. */
export function runningPolicy(store: Store): PolicyConfig {
  const source = storedPolicySource(store)
  if (source === null) return defaultPolicy()
  if (cache?.source !== source) cache = { source, config: parsePolicy(source, 'policy.yaml') }
  return structuredClone(cache.config)
}

/** Stores a (valid) policy, records who changed it and how, and rewrites the policy.yaml export. */
export function savePolicy(store: Store, source: string, by: string, exportFile: string | null): PolicyChange {
  parsePolicy(source, 'policy.yaml')
  const change = transaction(store, (): PolicyChange => {
    const before = storedPolicySource(store) ?? ''
    const entry: PolicyChange = { at: nowIso(), by, diff: lineDiff(before, source) }
    putInternal(store, SOURCE, source)
    putInternal(store, CHANGES, [...policyChanges(store), entry])
    return entry
  })
  if (exportFile) {
    writeFileSync(`${exportFile}.tmp`, source)
    renameSync(`${exportFile}.tmp`, exportFile)
  }
  return change
}

/** A workspace from before the policy moved into the database keeps the policy its file held. */
export function seedPolicyFromFile(store: Store, file: string): void {
  if (storedPolicySource(store) !== null || !existsSync(file)) return
  const source = readFileSync(file, 'utf8')
  try {
    parsePolicy(source, 'policy.yaml')
  } catch {
    return // A broken file was refusing every run; the defaults apply until a valid policy is posted.
  }
  savePolicy(store, source, 'imported from policy.yaml', null)
}

/** `-`/`+` lines of a longest-common-subsequence diff; unchanged lines are left out. */
export function lineDiff(before: string, after: string): string {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n')
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n')
  if (a.length > MAX_DIFF_LINES || b.length > MAX_DIFF_LINES)
    return [...a.map((l) => `-${l}`), ...b.map((l) => `+${l}`)].join('\n')
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0))
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
  const out: string[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++
      j++
    } else if (i < a.length && (j >= b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) out.push(`-${a[i++]}`)
    else out.push(`+${b[j++]}`)
  }
  return out.join('\n')
}
