// One trace per run. The engine records a run as several Playwright trace zips (it stops
// recording while a secret is typed or a person works on the page, see engine/trace.ts);
// the viewer opens one zip, so they are stitched into one: each segment becomes one
// "context" of the zip (the viewer reads every `<name>.trace` it holds and merges their
// actions by time), resources are shared by their content-hashed names.
//
// What the operator does not need is left out: engine housekeeping recorded between steps
// (prompt probes, evidence screenshots, readiness counts), the engine's own probes inside a
// step (every `evaluate`: no flow action evaluates script), and the call stacks, which point
// into Opdesk's source and not into the flow.
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate'

/** The title the engine gives the trace group of flow step `index` (engine/trace.ts). */
export const stepGroupTitle = (index: number, label: string): string => `Step ${index} · ${label}`
const STEP_GROUP = /^Step (\d+) · /

/** Engine probes that show up as actions; a flow step never evaluates script itself. */
const PROBE_METHODS = new Set(['evaluateExpression', 'evaluateExpressionHandle', 'evaluate'])

export interface TraceSegment {
  /** The artifact's name (`trace-2`); kept as the segment's file name in the stitched zip. */
  name: string
  zip: Uint8Array
}

export interface StitchedSegment {
  name: string
  /** "Steps 1–4", "Step 5", or "No flow steps" when only housekeeping was recorded. */
  label: string
  steps: number[]
}

export interface StitchedTrace {
  zip: Uint8Array
  segments: StitchedSegment[]
}

interface TraceLine {
  type?: string
  callId?: string
  parentId?: string
  title?: string
  method?: string
  stack?: unknown
  [k: string]: unknown
}

/** Which calls of one segment to keep, and the flow steps it covers. */
function keptCalls(lines: TraceLine[]): { keep: Set<string>; steps: number[] } {
  const parent = new Map<string, string | undefined>()
  const groups = new Map<string, number>()
  const probes = new Set<string>()
  for (const l of lines) {
    if (l.type !== 'before' || !l.callId) continue
    parent.set(l.callId, l.parentId)
    const m = l.method === 'tracingGroup' && typeof l.title === 'string' ? STEP_GROUP.exec(l.title) : null
    if (m) groups.set(l.callId, Number(m[1]))
    if (l.method && PROBE_METHODS.has(l.method)) probes.add(l.callId)
  }
  const keep = new Set<string>()
  for (const id of parent.keys()) {
    if (probes.has(id)) continue
    // Kept when it is a step group or sits (at any depth) under one.
    for (let at: string | undefined = id, hops = 0; at && hops < 64; at = parent.get(at), hops++) {
      if (groups.has(at)) {
        keep.add(id)
        break
      }
    }
  }
  const steps = [...new Set(groups.values())].sort((a, b) => a - b)
  return { keep, steps }
}

export function segmentLabel(steps: number[]): string {
  if (steps.length === 0) return 'No flow steps'
  const first = steps[0]!
  const last = steps[steps.length - 1]!
  return first === last ? `Step ${first}` : `Steps ${first}–${last}`
}

function filterTrace(text: string, keep: Set<string>, label: string): string {
  const out: string[] = []
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue
    let l: TraceLine
    try {
      l = JSON.parse(raw) as TraceLine
    } catch {
      continue
    }
    if (l.callId && (l.type === 'before' || l.type === 'after' || l.type === 'log' || l.type === 'input')) {
      if (!keep.has(l.callId)) continue
      if (l.type === 'before' && l.parentId && !keep.has(l.parentId)) delete l.parentId
    }
    delete l.stack
    if (l.type === 'context-options') l.title = label
    out.push(JSON.stringify(l))
  }
  return out.join('\n') + '\n'
}

/** Stitches a run's trace segments (oldest first) into one zip the viewer opens whole. */
export function stitchTraces(segments: TraceSegment[]): StitchedTrace {
  const files: Zippable = {}
  const described: StitchedSegment[] = []
  for (const seg of segments) {
    let entries: Record<string, Uint8Array>
    try {
      entries = unzipSync(seg.zip)
    } catch {
      continue // a segment cut short (the context closed mid-write) holds nothing readable
    }
    const traceEntry = entries['trace.trace']
    if (!traceEntry) continue
    const text = strFromU8(traceEntry)
    const lines = text
      .split('\n')
      .filter((s) => s.trim())
      .map((s) => {
        try {
          return JSON.parse(s) as TraceLine
        } catch {
          return {}
        }
      })
    const { keep, steps } = keptCalls(lines)
    if (keep.size === 0) continue
    const label = segmentLabel(steps)
    const name = seg.name.replace(/[^\w.-]/g, '_')
    files[`${name}.trace`] = strToU8(filterTrace(text, keep, label))
    if (entries['trace.network']) files[`${name}.network`] = entries['trace.network']
    for (const [path, bytes] of Object.entries(entries)) {
      if (path.startsWith('trace.')) continue
      files[path] ??= bytes // resources are named by their content hash: the same name is the same bytes
    }
    described.push({ name: seg.name, label, steps })
  }
  // Screenshots and snapshots are already compressed or small; level 1 keeps stitching quick.
  return { zip: zipSync(files, { level: 1 }), segments: described }
}
