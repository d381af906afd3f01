// Filling `${params.x}` / `${secrets.y}` at run time, and the questions the engine asks before
// a run: which secrets will it need, and what are the final parameter values.
import type { FlowDefinition, FlowStep } from '../../../shared/flow'
import { scanPlaceholders, type Namespace } from './placeholders'

export interface InterpolationContext {
  params: Record<string, string>
  /** Looked up only for `${secrets.NAME}`; may throw if the secret is missing. */
  secrets?: (name: string) => string
}

/**
 * Replace placeholders in one pass. Substituted values are never scanned again, so a parameter
 * value such as "${secrets.x}" supplied by a caller stays literal text and cannot pull a secret
 * into a URL or a log line. Throws on a placeholder it cannot fill: parseFlow refuses those
 * before a run, so reaching one here means the caller skipped validation or param resolution.
 */
export function interpolate(template: string, ctx: InterpolationContext): string {
  let out = ''
  for (const seg of scanPlaceholders(template)) {
    if (seg.kind === 'text') out += seg.text
    else if (seg.kind === 'bad') throw new Error(seg.message)
    else if (seg.namespace === 'params') {
      // hasOwn: `${params.constructor}` must not reach Object.prototype.
      if (!Object.hasOwn(ctx.params, seg.name)) throw new Error(`No value for parameter "${seg.name}"`)
      out += ctx.params[seg.name]
    } else {
      if (!ctx.secrets) throw new Error(`Secret "${seg.name}" is not available here`)
      out += ctx.secrets(seg.name)
    }
  }
  return out
}

/** Every string a step holds, including nested ones (`mfa.until.url`). */
function stepStrings(step: FlowStep): string[] {
  const out: string[] = []
  const walk = (value: unknown): void => {
    if (typeof value === 'string') out.push(value)
    else if (value && typeof value === 'object') Object.values(value).forEach(walk)
  }
  walk(step)
  return out
}

function referenced(flow: Pick<FlowDefinition, 'steps'>, namespace: Namespace): string[] {
  const names = new Set<string>()
  for (const step of flow.steps) {
    for (const s of stepStrings(step)) {
      for (const seg of scanPlaceholders(s)) {
        if (seg.kind === 'ref' && seg.namespace === namespace) names.add(seg.name)
      }
    }
  }
  return [...names]
}

/** Names of the secrets a flow uses, in order of first use, each once. */
export function referencedSecrets(flow: Pick<FlowDefinition, 'steps'>): string[] {
  return referenced(flow, 'secrets')
}

/** Names of the parameters a flow's steps use, in order of first use, each once. */
export function referencedParams(flow: Pick<FlowDefinition, 'steps'>): string[] {
  return referenced(flow, 'params')
}

export type ResolvedParams = { ok: true; params: Record<string, string> } | { ok: false; errors: string[] }

/**
 * Final parameter values for a run: given values over defaults. A parameter with no default is
 * required unless it says `required: false` (then it is ""). Unknown names are refused so a
 * typo in `--param mnth=…` fails loudly instead of silently using the default.
 */
export function resolveParams(
  flow: Pick<FlowDefinition, 'params'>,
  given: Record<string, string> = {},
): ResolvedParams {
  const declared = flow.params ?? {}
  const errors: string[] = []
  const names = Object.keys(declared)
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(declared, name)) {
      const takes = names.length ? `; this flow takes: ${names.join(', ')}` : '; this flow takes no parameters'
      errors.push(`Unknown parameter "${name}"${takes}`)
    }
  }
  const entries: Array<[string, string]> = []
  for (const name of names) {
    const spec = declared[name] ?? {}
    const value = Object.hasOwn(given, name) ? given[name] : spec.default
    if (value !== undefined) entries.push([name, value])
    else if (spec.required === false) entries.push([name, ''])
    else errors.push(`Parameter "${name}" needs a value`)
  }
  // fromEntries defines own properties, so a "__proto__" key cannot reshape the object.
  return errors.length ? { ok: false, errors } : { ok: true, params: Object.fromEntries(entries) }
}
