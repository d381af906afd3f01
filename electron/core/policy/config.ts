// Loads a workspace's policy.yaml over the shipped defaults. A bad file is refused as a whole, with the line
// and column of every problem, rather than half-applied: a silently ignored typo could loosen the policy.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { isMap, isNode, isScalar, LineCounter, parseDocument, visit } from 'yaml'
import type { Document } from 'yaml'
import type { z } from 'zod'
import { DEFAULT_POLICY, mergePolicy, policyFileSchema } from '../../../shared/policy'
import type { PolicyConfig } from '../../../shared/policy'

export const POLICY_FILE = 'policy.yaml'

export interface PolicyIssue {
  line: number
  column: number
  /** Dotted setting path, e.g. `flows.offListOrigin`; empty for a YAML syntax error. */
  path: string
  message: string
}

export class PolicyConfigError extends Error {
  constructor(
    readonly file: string,
    readonly issues: PolicyIssue[],
  ) {
    const lines = issues.map((i) => `  ${file}:${i.line}:${i.column}: ${i.path ? `${i.path}: ` : ''}${i.message}`)
    super(`Invalid policy file ${file}:\n${lines.join('\n')}`)
    this.name = 'PolicyConfigError'
  }
}

/** A fresh copy, so callers can never mutate the shared defaults. */
export const defaultPolicy = (): PolicyConfig => structuredClone(DEFAULT_POLICY)

/** `<workspaceDir>/policy.yaml` merged over the defaults, or the defaults when the file does not exist. */
export function loadPolicy(workspaceDir: string): PolicyConfig {
  const file = join(workspaceDir, POLICY_FILE)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return defaultPolicy()
    throw e
  }
  return parsePolicy(text, file)
}

/** Parses policy.yaml text; `file` only names the source in error messages. */
export function parsePolicy(text: string, file = POLICY_FILE): PolicyConfig {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const at = (offset: number): { line: number; column: number } => {
    const pos = lineCounter.linePos(offset)
    return { line: pos.line, column: pos.col }
  }
  if (doc.errors.length > 0) {
    throw new PolicyConfigError(
      file,
      doc.errors.map((e) => ({ ...at(e.pos[0]), path: '', message: e.message.split('\n')[0] ?? e.code })),
    )
  }
  let value: unknown
  try {
    // Aliases can expand exponentially (a "billion laughs" file); the yaml library stops at
    // its alias budget by throwing, which is the file's fault, not ours: report it as such.
    value = doc.toJS({ maxAliasCount: 100 })
  } catch (err) {
    let offset = 0
    visit(doc, {
      Alias(_key, node) {
        offset = node.range?.[0] ?? 0
        return visit.BREAK
      },
    })
    throw new PolicyConfigError(file, [{ ...at(offset), path: '', message: `the file cannot be read: ${err instanceof Error ? err.message : String(err)}` }])
  }
  const parsed = policyFileSchema.safeParse(value ?? {})
  if (!parsed.success) {
    throw new PolicyConfigError(
      file,
      parsed.error.issues
        .map((issue) => ({ ...at(offsetOf(doc, issue)), path: issue.path.join('.'), message: describe(issue) }))
        .sort((a, b) => a.line - b.line || a.column - b.column),
    )
  }
  return mergePolicy(defaultPolicy(), parsed.data)
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `\`${k}\``).join(', ')}`
  return issue.message
}

/** Where in the file an issue points: the unknown key itself, else the nearest node on its path. */
function offsetOf(doc: Document, issue: z.core.$ZodIssue): number {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol')
  for (let len = path.length; len >= 0; len--) {
    const node = len === 0 ? doc.contents : doc.getIn(path.slice(0, len), true)
    if (!isNode(node) || !node.range) continue
    if (len === path.length && issue.code === 'unrecognized_keys' && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === issue.keys[0])
      if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0]
    }
    return node.range[0]
  }
  return 0
}
