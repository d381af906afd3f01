// Reading one step field by kind, with the checks that kind implies.
import { isMap, isScalar, isSeq, type Node } from 'yaml'
import { MAX_DURATION_MS, WAIT_STATES, formatDuration, parseDuration } from '../../../shared/flow'
import { entries, isEmpty, items, readBoolean, readText, shown, unknownKey, type ProblemSink } from './nodes'
import { scanPlaceholders } from './placeholders'
import { UNTIL_FIELDS, type FieldSpec } from './specs'
import { didYouMean } from './suggest'

export interface ReadContext {
  source: string
  sink: ProblemSink
  /** Declared parameter names. */
  params: ReadonlySet<string>
  /** Known secret names; undefined means "not checked" (validation without a workspace). */
  secretNames?: ReadonlySet<string>
  /** Normalised allowedOrigins, when the flow declares them. */
  allowedOrigins?: readonly string[]
}

export function readField(spec: FieldSpec, node: Node, label: string, path: string, ctx: ReadContext): unknown {
  switch (spec.kind) {
    case 'boolean':
      return readBoolean(node, label, path, ctx.sink)
    case 'duration':
      return readDuration(node, label, path, ctx.sink, { allowZero: true })
    case 'state':
      return readState(node, label, path, ctx)
    case 'until':
      return readUntil(node, path, ctx)
    case 'terms':
      return readTerms(node, path, ctx)
    default:
      return readStepText(spec, node, label, path, ctx)
  }
}

function readStepText(spec: FieldSpec, node: Node, label: string, path: string, ctx: ReadContext): string | undefined {
  const value = readText(node, label, path, ctx.sink, { allowEmpty: spec.allowEmpty })
  if (value === undefined) return undefined
  if (spec.kind === 'identifier') {
    if (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(value)) return value
    ctx.sink.add(
      node,
      `"${label}" must be one word of letters, digits, _, - or . (it names a run output), not "${value}"`,
      path,
    )
    return undefined
  }
  const placeholdersOk = checkPlaceholders(value, node, path, ctx, spec.secrets === true)
  if (spec.kind === 'filename' && !checkFilename(value, node, label, path, ctx)) return undefined
  if (spec.kind === 'url' && placeholdersOk && !checkUrl(value, node, path, ctx)) return undefined
  return placeholdersOk ? value : undefined
}

/** Milliseconds, or undefined after reporting. Zero only where it makes sense (`wait: 0`). */
export function readDuration(
  node: Node,
  label: string,
  path: string,
  sink: ProblemSink,
  opts: { allowZero?: boolean } = {},
): number | undefined {
  const raw =
    isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'string') ? node.value : undefined
  const what = shown(node)
  const ms = raw === undefined ? null : parseDuration(raw, { max: Infinity })
  if (ms === null) {
    sink.add(node, `Bad ${label} "${what}": use a number of ms or a duration like 30s, 15m`, path)
    return undefined
  }
  if (ms > MAX_DURATION_MS) {
    sink.add(node, `Bad ${label} "${what}": the longest allowed is ${formatDuration(MAX_DURATION_MS)}`, path)
    return undefined
  }
  if (ms === 0 && !opts.allowZero) {
    sink.add(node, `Bad ${label} "${what}": must be more than zero`, path)
    return undefined
  }
  return ms
}

function readState(node: Node, label: string, path: string, ctx: ReadContext): string | undefined {
  const value = readText(node, label, path, ctx.sink)
  if (value === undefined) return undefined
  if ((WAIT_STATES as readonly string[]).includes(value)) return value
  const guess = didYouMean(value, WAIT_STATES)
  const hint = guess ? ` — did you mean "${guess}"?` : ''
  ctx.sink.add(node, `"${label}" must be one of ${WAIT_STATES.join(', ')}, not "${value}"${hint}`, path)
  return undefined
}

// `until: "**/dashboard"` is read as the URL glob: the common case deserves the short form.
function readUntil(node: Node, path: string, ctx: ReadContext): Record<string, string> | undefined {
  if (isScalar(node)) {
    const url = readStepText({ kind: 'glob' }, node, 'until', path, ctx)
    return url === undefined ? undefined : { url }
  }
  if (!isMap(node)) {
    ctx.sink.add(node, `"until" must be a map like { url: "**/dashboard" }, not a list`, path)
    return undefined
  }
  const out: Record<string, string> = {}
  let ok = true
  for (const entry of entries(node, path, ctx.sink)) {
    if (!(UNTIL_FIELDS as readonly string[]).includes(entry.key)) {
      unknownKey(entry, UNTIL_FIELDS, '"until"', ctx.sink)
      ok = false
      continue
    }
    if (isEmpty(entry.value)) continue
    const value = readStepText(
      { kind: entry.key === 'url' ? 'glob' : 'text' },
      entry.value as Node,
      entry.key,
      entry.path,
      ctx,
    )
    if (value === undefined) ok = false
    else out[entry.key] = value
  }
  if (ok && Object.keys(out).length === 0) {
    ctx.sink.add(node, `"until" needs a "url", "selector" or "text"`, path)
    return undefined
  }
  return ok ? out : undefined
}

const TERM_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/

/**
 * `terms: [amount, { payee: "${params.payee}" }]` or `terms: { amount: "${params.amount} EUR" }`:
 * a bare word names a declared parameter (its value is the term); `name: value` gives the text
 * (parameters filled at run time). Secrets are refused: terms are shown and stored.
 */
function readTerms(node: Node, path: string, ctx: ReadContext): Record<string, string> | undefined {
  const out: Record<string, string> = {}
  let ok = true
  const put = (name: string, value: string, at: Node, where: string): void => {
    if (!TERM_NAME.test(name)) {
      ctx.sink.add(at, `A term's name must be one word of letters, digits, _, - or ., not "${name}"`, where)
      ok = false
    } else if (Object.hasOwn(out, name)) {
      ctx.sink.add(at, `The term "${name}" is given twice`, where)
      ok = false
    } else out[name] = value
  }
  const readMap = (map: Node, at: string): void => {
    if (!isMap(map)) return
    for (const e of entries(map, at, ctx.sink)) {
      if (isEmpty(e.value)) {
        ctx.sink.add(e.keyNode, `The term "${e.key}" needs a value, e.g. ${e.key}: "\${params.${e.key}}"`, e.path)
        ok = false
        continue
      }
      const v = readStepText({ kind: 'text', allowEmpty: true }, e.value as Node, e.key, e.path, ctx)
      if (v === undefined) ok = false
      else put(e.key, v, e.keyNode, e.path)
    }
  }
  if (isMap(node)) readMap(node, path)
  else if (isSeq(node)) {
    for (const item of items(node, path, ctx.sink)) {
      if (item.node && isMap(item.node)) readMap(item.node, item.path)
      else if (item.node && isScalar(item.node) && typeof item.node.value === 'string') {
        const name = item.node.value
        if (!ctx.params.has(name)) {
          const guess = didYouMean(name, ctx.params)
          const hint = guess ? ` — did you mean "${guess}"?` : ''
          ctx.sink.add(item.node, `The term "${name}" is not a declared parameter${hint}; name a parameter or write "name: value"`, item.path)
          ok = false
        } else put(name, `\${params.${name}}`, item.node, item.path)
      } else {
        ctx.sink.add(item.node ?? node, `Each term is a parameter name or "name: value", e.g. terms: [amount, { payee: "\${params.payee}" }]`, item.path)
        ok = false
      }
    }
  } else {
    ctx.sink.add(node, `"terms" must be a list like [amount, { payee: "\${params.payee}" }]`, path)
    return undefined
  }
  return ok ? out : undefined
}

/** Report bad, unknown and misplaced placeholders at their own column. */
function checkPlaceholders(
  value: string,
  node: Node,
  path: string,
  ctx: ReadContext,
  secretsAllowed: boolean,
): boolean {
  let ok = true
  const raw = node.range ? ctx.source.slice(node.range[0], node.range[1]) : ''
  let cursor = 0
  const report = (needle: string, message: string): void => {
    // Find the placeholder in the source text so the column points at it, not at the value.
    const at = raw.indexOf(needle, cursor)
    if (at >= 0) cursor = at + needle.length
    ctx.sink.addAt((node.range?.[0] ?? 0) + Math.max(at, 0), message, path)
    ok = false
  }
  for (const seg of scanPlaceholders(value)) {
    if (seg.kind === 'text') continue
    if (seg.kind === 'bad') {
      report(seg.raw, seg.message)
    } else if (seg.namespace === 'params') {
      if (ctx.params.has(seg.name)) continue
      const guess = didYouMean(seg.name, ctx.params)
      const hint = guess ? ` — did you mean "${guess}"?` : ''
      report(seg.raw, `Unknown parameter "${seg.name}" in ${seg.raw}${hint}; declare it under "params"`)
    } else if (!secretsAllowed) {
      report(seg.raw, `Secrets can only be used in a "fill" value, so they never reach logs, URLs or file names`)
    } else if (ctx.secretNames && !ctx.secretNames.has(seg.name)) {
      const guess = didYouMean(seg.name, ctx.secretNames)
      const hint = guess ? ` — did you mean "${guess}"?` : ''
      report(seg.raw, `Unknown secret "${seg.name}" in ${seg.raw}${hint}; add it under Secrets first`)
    }
  }
  return ok
}

function checkFilename(value: string, node: Node, label: string, path: string, ctx: ReadContext): boolean {
  // Names become files under evidence/<runId>/: no way out of that folder.
  // eslint-disable-next-line no-control-regex
  if (/[/\\\u0000-\u001f]/.test(value) || value === '.' || value === '..') {
    ctx.sink.add(node, `"${label}" must be a file name without folders, not "${value}"`, path)
    return false
  }
  return true
}

const PROBE = 'opdeskparam'

/** Absolute http(s) URL; params may stand anywhere, and hide the origin when they touch it. */
function checkUrl(value: string, node: Node, path: string, ctx: ReadContext): boolean {
  const segs = scanPlaceholders(value)
  // A URL that starts with a parameter (`${params.base}/login`) can only be checked at run time.
  if (segs[0]?.kind === 'ref') return true
  if (value === 'about:blank') return true
  const probe = segs.map((s) => (s.kind === 'text' ? s.text : PROBE)).join('')
  let url: URL
  try {
    url = new URL(probe)
  } catch {
    ctx.sink.add(node, `Bad URL "${value}": use a full address like https://portal.example.com/login`, path)
    return false
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    ctx.sink.add(node, `Bad URL "${value}": only http:// and https:// addresses can be opened`, path)
    return false
  }
  const origins = ctx.allowedOrigins
  if (origins && !url.origin.includes(PROBE) && !origins.includes(url.origin)) {
    ctx.sink.add(node, `"${value}" is outside allowedOrigins (${origins.join(', ')})`, path)
    return false
  }
  return true
}
