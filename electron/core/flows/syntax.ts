// YAML syntax errors in words an operator can act on, placed where the fix goes.
import {
  isCollection,
  isScalar,
  visit,
  type Alias,
  type Document,
  type LineCounter,
  type Node,
  type YAMLError,
} from 'yaml'
import type { ProblemSink } from './nodes'

/**
 * Report the document's syntax errors and warnings. Returns the offset from which the tree is a
 * guess (the start of the first bad line), 0 when nothing in it can be trusted, or undefined.
 */
export function reportSyntax(doc: Document, source: string, lines: LineCounter, sink: ProblemSink): number | undefined {
  const tabs = tabIndents(doc, source, lines)
  const aliases: Alias[] = []
  visit(doc, { Alias: (_key, node) => void aliases.push(node) })
  if (tabs.length || aliases.length) {
    // A tab in indentation moves everything below it, and an alias repeats a node elsewhere:
    // either way nothing read from the tree is reliable, so these are all that is reported.
    for (const at of tabs) sink.addAt(at, 'Tabs are not allowed for indentation in YAML; use spaces')
    for (const a of aliases) sink.add(a, `Aliases (*${a.source}) are not supported in flow files; write the value out`)
    return 0
  }
  let first: number | undefined
  for (const err of doc.errors) {
    const { offset, message } = describe(err, doc)
    sink.addAt(offset, message)
    first = Math.min(first ?? offset, offset)
  }
  for (const warning of doc.warnings) {
    const tag = /^Unresolved tag: (.*)$/.exec(warning.message)
    sink.addAt(warning.pos[0], tag ? `Unknown tag "${tag[1]}"; flow files do not use tags` : firstLine(warning.message))
  }
  if (first === undefined) return undefined
  return lines.lineStarts[lines.linePos(first).line - 1] ?? 0
}

/**
 * Offsets of tabs in indentation, one per line. The yaml parser stops reporting them after the
 * first in some layouts, so lines are scanned too; lines inside block scalars (`|`, `>`) and
 * { … } / [ … ] are skipped, since tabs there are content or allowed separators.
 */
function tabIndents(doc: Document, source: string, lines: LineCounter): number[] {
  const exempt: Array<[number, number]> = []
  visit(doc, {
    Node: (_key, n) => {
      const inside =
        (isScalar(n) && (n.type === 'BLOCK_LITERAL' || n.type === 'BLOCK_FOLDED')) || (isCollection(n) && n.flow)
      if (inside && n.range) exempt.push([n.range[0], n.range[2]])
    },
  })
  const found = new Set(doc.errors.filter((e) => e.code === 'TAB_AS_INDENT').map((e) => lines.linePos(e.pos[0]).line))
  const out: number[] = []
  lines.lineStarts.forEach((start, i) => {
    const indent = /^[ \t]*/.exec(source.slice(start, start + 200))?.[0] ?? ''
    const tab = indent.indexOf('\t')
    const rest = source.charAt(start + indent.length)
    const content = rest !== '' && rest !== '\n' && rest !== '\r' && rest !== '#'
    const exempted = exempt.some(([from, to]) => start > from && start < to)
    if (found.has(i + 1) || (tab >= 0 && content && !exempted)) out.push(start + Math.max(tab, 0))
  })
  return out
}

function describe(err: YAMLError, doc: Document): { offset: number; message: string } {
  const at = err.pos[0]
  switch (err.code) {
    case 'MULTIPLE_DOCS':
      return { offset: at, message: 'A flow file holds one YAML document; remove the "---" line' }
    case 'BLOCK_AS_IMPLICIT_KEY':
      return {
        offset: at,
        message: 'Unexpected ": " in a value; put a value that contains ": " in quotes, or check the indentation',
      }
    case 'BLOCK_IN_FLOW':
      return { offset: at, message: 'Unexpected ": " inside { … } or [ … ]; put a value that contains ": " in quotes' }
    case 'MULTILINE_IMPLICIT_KEY':
      return { offset: at, message: 'A key must be on one line and followed by ":"' }
    case 'BAD_SCALAR_START': {
      const char = /character (.)/.exec(err.message)?.[1] ?? ''
      return { offset: at, message: `A value cannot start with "${char}"; put it in quotes` }
    }
    case 'BAD_DQ_ESCAPE': {
      const esc = /sequence (\S+)/.exec(err.message)?.[1] ?? '\\'
      return { offset: at, message: `Invalid escape "${esc}" in a "double-quoted" value; use 'single quotes' instead` }
    }
    case 'MISSING_CHAR': {
      const quote = /closing (["'])quote/.exec(err.message)?.[1]
      if (!quote) break
      const start = opener(doc, at, (n) => isScalar(n) && n.type === (quote === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE'))
      return { offset: start ?? at, message: `Missing closing ${quote} for the quoted value that starts here` }
    }
    case 'BAD_INDENT': {
      const close = /end with an? ([}\]])/.exec(err.message)?.[1]
      if (!close) return { offset: at, message: `Wrong indentation: ${lowerFirst(firstLine(err.message))}` }
      const open = close === '}' ? '{' : '['
      const start = opener(doc, at, (n) => isCollection(n) && n.flow === true)
      const what = close === '}' ? `{ … } map` : `[ … ] list`
      return {
        offset: start ?? at,
        message: `Missing closing "${close}" for the ${what} that starts here with "${open}"`,
      }
    }
  }
  return { offset: at, message: firstLine(err.message) }
}

/** Start of the innermost node that begins before `offset` and matches, e.g. the unclosed quote. */
function opener(doc: Document, offset: number, match: (n: Node) => boolean): number | undefined {
  let best: number | undefined
  visit(doc, {
    Node: (_key, node) => {
      const range = node.range
      if (!range || !match(node)) return
      if (range[0] < offset && offset <= range[2] && (best === undefined || range[0] > best)) best = range[0]
    },
  })
  return best
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? s).replace(/:\s*$/, '')
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1)
}
