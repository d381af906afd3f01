// Reading YAML nodes with positions: every reader reports what is wrong where it is wrong,
// and returns undefined so callers carry on and collect every problem in one pass.
import { isAlias, isMap, isScalar, isSeq, type LineCounter, type Node, type Scalar, type YAMLMap } from 'yaml'
import type { FlowProblem } from '../../../shared/flow'
import { didYouMean } from './suggest'

/** A problem plus whether it concerns the whole document (so a syntax error may hide its cause). */
interface Collected extends FlowProblem {
  offset: number
  wholeDocument: boolean
}

export class ProblemSink {
  private readonly found: Collected[] = []

  constructor(private readonly lines: LineCounter) {}

  /** Report at a character offset of the source. */
  addAt(offset: number, message: string, path?: string, wholeDocument = false): void {
    const { line, col } = this.lines.linePos(offset)
    this.found.push({ line: Math.max(line, 1), column: Math.max(col, 1), message, path, offset, wholeDocument })
  }

  /** Report at the start of a node (or of the document when the node is missing). */
  add(node: Node | null | undefined, message: string, path?: string): void {
    this.addAt(node?.range?.[0] ?? 0, message, path)
  }

  /** A problem about something missing from the whole flow, e.g. no `name`. */
  addWholeDocument(node: Node | null | undefined, message: string, path?: string): void {
    this.addAt(node?.range?.[0] ?? 0, message, path, true)
  }

  /** 1-based line where a node starts. */
  lineOf(node: Node): number {
    return Math.max(this.lines.linePos(node.range?.[0] ?? 0).line, 1)
  }

  get size(): number {
    return this.found.length
  }

  /** Problems in source order; `before` drops any at or after that offset, and whole-document ones. */
  list(before?: number): FlowProblem[] {
    return this.found
      .filter((p) => before === undefined || (!p.wholeDocument && p.offset < before))
      .sort((a, b) => a.line - b.line || a.column - b.column)
      .map(({ line, column, message, path }) =>
        path === undefined ? { line, column, message } : { line, column, message, path },
      )
  }
}

export interface Entry {
  key: string
  keyNode: Scalar
  /** null for `key:` with nothing after it. */
  value: Node | null
  path: string
}

export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`
  return base === '' ? key : `${base}.${key}`
}

/** True for a missing value: no node, or `key:` / `~` / `null`. */
export function isEmpty(node: Node | null | undefined): boolean {
  return node == null || (isScalar(node) && node.value == null)
}

/**
 * The entries of a map, once each. Duplicate keys, non-scalar keys and aliases are reported here
 * so no caller has to think about them; the first occurrence of a duplicated key wins.
 */
export function entries(map: YAMLMap, path: string, sink: ProblemSink): Entry[] {
  const out: Entry[] = []
  const seen = new Set<string>()
  for (const pair of map.items) {
    const keyNode = pair.key as Node | null
    if (!isScalar(keyNode) || keyNode.value == null || typeof keyNode.value === 'object') {
      sink.add(keyNode ?? map, 'Keys must be plain words such as "selector"', path || undefined)
      continue
    }
    const key = scalarText(keyNode)
    const entryPath = joinPath(path, key)
    if (seen.has(key)) {
      sink.add(keyNode, `Duplicate key "${key}"`, entryPath)
      continue
    }
    seen.add(key)
    const value = (pair.value ?? null) as Node | null
    if (noAlias(value, entryPath, sink)) out.push({ key, keyNode, value, path: entryPath })
  }
  return out
}

/** Items of a list, with aliases reported and dropped. */
export function items(
  seq: Node,
  path: string,
  sink: ProblemSink,
): Array<{ node: Node | null; path: string; index: number }> {
  if (!isSeq(seq)) return []
  const out: Array<{ node: Node | null; path: string; index: number }> = []
  seq.items.forEach((item, index) => {
    const node = (item ?? null) as Node | null
    const itemPath = joinPath(path, index)
    if (noAlias(node, itemPath, sink)) out.push({ node, path: itemPath, index })
  })
  return out
}

// Aliases would make one node appear at many places (wrong lines) and can expand exponentially.
function noAlias(node: Node | null, path: string, sink: ProblemSink): boolean {
  if (!isAlias(node)) return true
  sink.add(node, `Aliases (*${node.source}) are not supported in flow files; write the value out`, path)
  return false
}

/** The text of a scalar; numbers and booleans keep their source spelling (`0123` stays `0123`). */
export function scalarText(node: Scalar): string {
  if (typeof node.value === 'string') return node.value
  return node.source ?? String(node.value)
}

function kindOf(node: Node): string {
  if (isMap(node)) return 'a map'
  if (isSeq(node)) return 'a list'
  return 'a single value'
}

/** Source spelling of a value for quoting in messages. */
export function shown(node: Node): string {
  if (isScalar(node)) return scalarText(node)
  return kindOf(node)
}

export interface TextOptions {
  allowEmpty?: boolean
}

/** Text, coercing numbers and booleans (an operator typing `value: 12345` means the digits). */
export function readText(
  node: Node,
  label: string,
  path: string,
  sink: ProblemSink,
  opts: TextOptions = {},
): string | undefined {
  if (isScalar(node) && node.value == null) {
    sink.add(node, `"${label}" needs a value`, path)
    return undefined
  }
  if (!isScalar(node) || typeof node.value === 'object') {
    sink.add(node, `"${label}" must be text, not ${kindOf(node)}`, path)
    return undefined
  }
  const text = scalarText(node)
  if (text === '' && !opts.allowEmpty) {
    sink.add(node, `"${label}" must not be empty`, path)
    return undefined
  }
  return text
}

export function readBoolean(node: Node, label: string, path: string, sink: ProblemSink): boolean | undefined {
  if (isScalar(node) && typeof node.value === 'boolean') return node.value
  sink.add(node, `"${label}" must be true or false, not "${shown(node)}"`, path)
  return undefined
}

export function readWholeNumber(
  node: Node,
  label: string,
  path: string,
  sink: ProblemSink,
  min: number,
  max: number,
): number | undefined {
  if (isScalar(node) && typeof node.value === 'number' && Number.isInteger(node.value)) {
    if (node.value >= min && node.value <= max) return node.value
    sink.add(node, `"${label}" must be between ${min} and ${max}`, path)
    return undefined
  }
  sink.add(node, `"${label}" must be a whole number, not "${shown(node)}"`, path)
  return undefined
}

export function readMap(
  node: Node,
  label: string,
  path: string,
  sink: ProblemSink,
  example: string,
): YAMLMap | undefined {
  if (isMap(node)) return node
  sink.add(node, `"${label}" must be a map like ${example}, not ${kindOf(node)}`, path)
  return undefined
}

/** Report a key a map may not hold, suggesting the closest allowed one; returns that suggestion. */
export function unknownKey(
  entry: Entry,
  allowed: readonly string[],
  where: string,
  sink: ProblemSink,
): string | undefined {
  const guess = didYouMean(entry.key, allowed)
  const hint = guess ? ` — did you mean "${guess}"?` : `; allowed: ${allowed.join(', ')}`
  sink.add(entry.keyNode, `Unknown key "${entry.key}" in ${where}${hint}`, entry.path)
  return guess
}
