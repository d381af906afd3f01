// `${params.NAME}` and `${secrets.NAME}` inside step text. One scanner serves both the
// validator (which needs positions) and interpolation (which needs values), so the two can
// never disagree about what counts as a placeholder. `$${` is a literal `${`.

export type Namespace = 'params' | 'secrets'

export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'ref'; namespace: Namespace; name: string; raw: string; index: number }
  | { kind: 'bad'; raw: string; index: number; message: string }

const REF = /^(params|secrets)\.([A-Za-z0-9_][A-Za-z0-9_.-]*)$/
const EXAMPLE = '${params.NAME} or ${secrets.NAME}'

export function scanPlaceholders(template: string): Segment[] {
  const out: Segment[] = []
  let text = ''
  let i = 0
  while (i < template.length) {
    if (template.startsWith('$${', i)) {
      text += '${'
      i += 3
      continue
    }
    if (!template.startsWith('${', i)) {
      text += template[i]
      i += 1
      continue
    }
    if (text) out.push({ kind: 'text', text })
    text = ''
    const close = template.indexOf('}', i + 2)
    if (close < 0) {
      const raw = template.slice(i)
      out.push({ kind: 'bad', raw, index: i, message: `"${raw}" is missing its closing "}"` })
      break
    }
    const raw = template.slice(i, close + 1)
    const inner = raw.slice(2, -1).trim()
    const m = REF.exec(inner)
    if (m) {
      out.push({ kind: 'ref', namespace: m[1] as Namespace, name: m[2] as string, raw, index: i })
    } else {
      out.push({ kind: 'bad', raw, index: i, message: describeBad(raw, inner) })
    }
    i = close + 1
  }
  if (text) out.push({ kind: 'text', text })
  return out
}

function describeBad(raw: string, inner: string): string {
  const ns = inner.split('.')[0] ?? ''
  if ((ns === 'params' || ns === 'secrets') && !inner.includes('.')) {
    return `Placeholder "${raw}" needs a name, e.g. \${${ns}.NAME}`
  }
  if (ns === 'params' || ns === 'secrets') return `Bad placeholder "${raw}": names use letters, digits, _ and -`
  return `Unknown placeholder "${raw}": use ${EXAMPLE}`
}

/** Names referenced in one template, by namespace, in order of appearance. */
export function referencesIn(template: string, namespace: Namespace): string[] {
  const names: string[] = []
  for (const seg of scanPlaceholders(template)) {
    if (seg.kind === 'ref' && seg.namespace === namespace) names.push(seg.name)
  }
  return names
}
