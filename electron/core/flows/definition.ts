// The top level of a flow file: name, params, origins, switches, and the steps.
import { isMap, isScalar, isSeq, type Node } from 'yaml'
import { FLOW_ACTIONS, FLOW_KEYS, type FlowParam } from '../../../shared/flow'
import { readDuration, type ReadContext } from './fields'
import {
  entries,
  isEmpty,
  items,
  readBoolean,
  readMap,
  readText,
  readWholeNumber,
  unknownKey,
  type Entry,
  type ProblemSink,
} from './nodes'
import { readSteps } from './steps'

const PARAM_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/
// Becomes a folder under profiles/: one plain name, no way out of that folder.
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
const PARAM_KEYS = ['default', 'description', 'required'] as const

export interface ReadOptions {
  source: string
  sink: ProblemSink
  secretNames?: ReadonlySet<string>
}

/** The flow as read, not yet checked against FlowDefinitionSchema; undefined if anything was wrong. */
export function readDefinition(root: Node | null, opts: ReadOptions): Record<string, unknown> | undefined {
  const { sink } = opts
  if (isEmpty(root)) {
    sink.addWholeDocument(null, 'The flow file is empty; it needs a "name" and "steps"')
    return undefined
  }
  if (!isMap(root)) {
    sink.add(root, 'A flow file must be a map with "name:" and "steps:" at the top')
    return undefined
  }
  const errorsBefore = sink.size
  const byKey = new Map<string, Entry>()
  const guessed = new Set<string>() // a misspelt "stpes" should not also earn "needs steps"
  for (const e of entries(root, '', sink)) {
    if ((FLOW_KEYS as readonly string[]).includes(e.key)) byKey.set(e.key, e)
    else if ((FLOW_ACTIONS as readonly string[]).includes(e.key)) {
      sink.add(e.keyNode, `"${e.key}" is an action; put it in a step under "steps:"`, e.path)
    } else {
      const guess = unknownKey(e, FLOW_KEYS, 'the flow', sink)
      if (guess) guessed.add(guess)
    }
  }
  const value = (key: string): Node | undefined => {
    const e = byKey.get(key)
    return e && !isEmpty(e.value) ? (e.value as Node) : undefined
  }
  const flow: Record<string, unknown> = {}
  const set = (key: string, v: unknown): void => {
    if (v !== undefined) flow[key] = v
  }

  const params = value('params')
  const declared = params ? readParams(params, sink) : undefined
  set('params', declared?.params)

  const origins = byKey.get('allowedOrigins')
  const allowed = origins ? readOrigins(origins, sink) : undefined
  set('allowedOrigins', allowed)

  const name = value('name')
  if (name) set('name', readText(name, 'name', 'name', sink))
  else if (!guessed.has('name'))
    sink.addWholeDocument(byKey.get('name')?.keyNode ?? root, 'A flow needs a "name"', 'name')

  for (const key of ['description', 'profile'] as const) {
    const node = value(key)
    if (node) set(key, readText(node, key, key, sink))
  }
  const profile = flow.profile
  if (typeof profile === 'string' && (!PROFILE_NAME.test(profile) || profile.includes('..'))) {
    sink.add(
      value('profile'),
      `"profile" must be a plain name such as acme (letters, digits, ., _ and -), not "${profile}"`,
      'profile',
    )
  }

  const viewport = value('viewport')
  if (viewport) set('viewport', readViewport(viewport, sink))

  for (const key of ['detectMfa', 'trace'] as const) {
    const node = value(key)
    if (node) set(key, readBoolean(node, key, key, sink))
  }
  flow.detectMfa ??= true

  const onFailure = value('onFailure')
  if (onFailure) {
    const v = readText(onFailure, 'onFailure', 'onFailure', sink)
    if (v === 'assist' || v === 'fail') set('onFailure', v)
    else if (v !== undefined) sink.add(onFailure, `"onFailure" is assist or fail, not "${v}"`, 'onFailure')
  }

  for (const key of ['timeout', 'stepTimeout'] as const) {
    const node = value(key)
    if (node) set(key, readDuration(node, key, key, sink))
  }

  const ctx: ReadContext = {
    source: opts.source,
    sink,
    params: declared?.names ?? new Set(),
    secretNames: opts.secretNames,
    allowedOrigins: allowed,
  }
  const steps = byKey.get('steps')
  if (steps) set('steps', readSteps(steps.value, steps.keyNode, ctx))
  else if (!guessed.has('steps'))
    sink.addWholeDocument(root, 'A flow needs "steps": a list of actions such as "- goto: https://…"', 'steps')

  return sink.size === errorsBefore ? flow : undefined
}

function readParams(node: Node, sink: ProblemSink): { params?: Record<string, FlowParam>; names: Set<string> } {
  // Names count as declared even when their details are wrong, so steps using them do not
  // pile "unknown parameter" on top of the real problem.
  const names = new Set<string>()
  const map = readMap(node, 'params', 'params', sink, '{ month: { default: "2026-10" } }')
  if (!map) return { names }
  const out: Array<[string, FlowParam]> = []
  for (const e of entries(map, 'params', sink)) {
    names.add(e.key)
    if (!PARAM_NAME.test(e.key)) {
      sink.add(
        e.keyNode,
        `Parameter name "${e.key}" must start with a letter and use only letters, digits, _ and -`,
        e.path,
      )
      continue
    }
    const spec = readParam(e, sink)
    if (spec) out.push([e.key, spec])
  }
  // fromEntries defines own properties, so no parameter name can reach Object.prototype.
  return { params: Object.fromEntries(out), names }
}

/** `month: { default: x }`; `month: x` is short for a default; `month:` alone declares it. */
function readParam(e: Entry, sink: ProblemSink): FlowParam | undefined {
  if (isEmpty(e.value)) return {}
  const node = e.value as Node
  if (isScalar(node)) {
    const def = readText(node, e.key, e.path, sink, { allowEmpty: true })
    return def === undefined ? undefined : { default: def }
  }
  const map = readMap(node, e.key, e.path, sink, '{ default: "2026-10", description: "…" }')
  if (!map) return undefined
  const spec: FlowParam = {}
  let ok = true
  for (const f of entries(map, e.path, sink)) {
    if (!(PARAM_KEYS as readonly string[]).includes(f.key)) {
      unknownKey(f, PARAM_KEYS, `parameter "${e.key}"`, sink)
      ok = false
      continue
    }
    if (isEmpty(f.value)) continue
    const v = f.value as Node
    if (f.key === 'required') spec.required = readBoolean(v, f.key, f.path, sink)
    else spec[f.key as 'default' | 'description'] = readText(v, f.key, f.path, sink, { allowEmpty: true })
    if (spec[f.key as keyof FlowParam] === undefined) {
      delete spec[f.key as keyof FlowParam]
      ok = false
    }
  }
  return ok ? spec : undefined
}

function readViewport(node: Node, sink: ProblemSink): { width: number; height: number } | undefined {
  const map = readMap(node, 'viewport', 'viewport', sink, '{ width: 1280, height: 800 }')
  if (!map) return undefined
  const got: Partial<Record<'width' | 'height', number>> = {}
  let ok = true
  for (const e of entries(map, 'viewport', sink)) {
    if (e.key !== 'width' && e.key !== 'height') {
      unknownKey(e, ['width', 'height'], '"viewport"', sink)
      ok = false
    } else if (isEmpty(e.value)) {
      ok = false
      sink.add(e.keyNode, `"${e.key}" needs a value`, e.path)
    } else {
      got[e.key] = readWholeNumber(e.value as Node, e.key, e.path, sink, 100, 10_000)
      if (got[e.key] === undefined) ok = false
    }
  }
  for (const key of ['width', 'height'] as const) {
    if (ok && got[key] === undefined) {
      sink.add(node, `"viewport" needs a "${key}"`, `viewport.${key}`)
      ok = false
    }
  }
  return ok && got.width !== undefined && got.height !== undefined
    ? { width: got.width, height: got.height }
    : undefined
}

/** Normalised origins, or undefined (after reporting) when any entry is not one. */
function readOrigins(e: Entry, sink: ProblemSink): string[] | undefined {
  const example = 'https://portal.example.com'
  if (isEmpty(e.value) || (isSeq(e.value) && e.value.items.length === 0)) {
    sink.add(
      e.value?.range ? e.value : e.keyNode,
      `"allowedOrigins" is empty; list origins like ${example}, or remove it`,
      e.path,
    )
    return undefined
  }
  const node = e.value as Node
  if (!isSeq(node) && !isScalar(node)) {
    sink.add(node, `"allowedOrigins" must be a list like ["${example}"]`, e.path)
    return undefined
  }
  // A single origin needs no list around it.
  const list = isSeq(node) ? items(node, e.path, sink) : [{ node, path: e.path, index: 0 }]
  const out: string[] = []
  let ok = true
  for (const item of list) {
    if (isEmpty(item.node)) {
      sink.add(item.node?.range ? item.node : node, `Empty entry in "allowedOrigins"`, item.path)
      ok = false
      continue
    }
    const entry = item.node as Node
    const text = readText(entry, 'allowedOrigins', item.path, sink)
    const origin = text === undefined ? undefined : toOrigin(text, entry, item.path, sink)
    if (origin === undefined) ok = false
    else if (!out.includes(origin)) out.push(origin)
  }
  return ok ? out : undefined
}

function toOrigin(text: string, node: Node, path: string, sink: ProblemSink): string | undefined {
  const bad = (why: string): undefined => {
    sink.add(node, `"${text}" is not an origin: ${why}`, path)
    return undefined
  }
  if (text.includes('${')) return bad('placeholders are not allowed here')
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return bad('write scheme and host, like https://portal.example.com')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return bad('only http:// and https:// origins are allowed')
  if (url.hostname.includes('*')) return bad('wildcards are not supported; list each origin')
  // A lone trailing "/" is how browsers print an origin's root; anything more is a path.
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash || /[?#]$/.test(text)) {
    return bad(`drop everything after the host, i.e. ${url.origin}`)
  }
  return url.origin
}
