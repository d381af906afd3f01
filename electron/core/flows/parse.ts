// Flow files in, a normalised FlowDefinition (or every problem, with line and column) out.
// A wrong file must be refused before a run starts, so this is the only way flows enter the engine.
import { createHash } from 'node:crypto'
import { LineCounter, parseDocument } from 'yaml'
import { FlowDefinitionSchema, type ParseFlowResult } from '../../../shared/flow'
import { readDefinition } from './definition'
import { ProblemSink } from './nodes'
import { reportSyntax } from './syntax'

export type { FlowProblem, ParseFlowResult } from '../../../shared/flow'
export { globToRegExp, urlMatches } from './glob'
export {
  interpolate,
  referencedParams,
  referencedSecrets,
  resolveParams,
  type InterpolationContext,
  type ResolvedParams,
} from './interpolate'

export interface ParseFlowOptions {
  /** Secrets the workspace holds; when given, `${secrets.x}` must name one of them. */
  secretNames?: Iterable<string>
}

/** sha256 hex of the exact source: runs record it to prove which file they ran. */
export function flowHash(source: string): string {
  return createHash('sha256').update(source, 'utf8').digest('hex')
}

export function parseFlow(source: string, opts: ParseFlowOptions = {}): ParseFlowResult {
  const lines = new LineCounter()
  // uniqueKeys off: duplicates are reported by our own reader, with the key's name.
  const doc = parseDocument(source, { lineCounter: lines, uniqueKeys: false, prettyErrors: false })
  const syntax = new ProblemSink(lines)
  const cut = reportSyntax(doc, source, lines, syntax)

  const sink = new ProblemSink(lines)
  const read = readDefinition(doc.contents, {
    source,
    sink,
    secretNames: opts.secretNames ? new Set(opts.secretNames) : undefined,
  })
  // From a syntax error on the tree is a guess; keep only what was read above that line.
  const problems = [...syntax.list(), ...sink.list(cut)].sort((a, b) => a.line - b.line || a.column - b.column)
  if (problems.length || !read) {
    return {
      ok: false,
      problems: problems.length ? problems : [{ line: 1, column: 1, message: 'The flow file could not be read' }],
    }
  }
  const checked = FlowDefinitionSchema.safeParse(read)
  if (!checked.success) {
    // The reader and the schema disagree: a bug here, not in the file. Say so rather than throw.
    const issue = checked.error.issues[0]
    const where = issue ? ` at ${issue.path.join('.')}: ${issue.message}` : ''
    return { ok: false, problems: [{ line: 1, column: 1, message: `Internal error reading the flow${where}` }] }
  }
  return { ok: true, flow: checked.data, hash: flowHash(source) }
}
