// Syntax tree of the shell subset the policy parser understands (see shell-parser.ts).

export class ShellParseError extends Error {
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {
    super(`${reason} at character ${offset + 1}`)
    this.name = 'ShellParseError'
  }
}

export type WordPart =
  /** `dollar` marks $'…' and $"…" quoting, which the judge does not model (bash and dash read them differently). */
  | { kind: 'lit'; text: string; quoted: boolean; dollar?: boolean }
  | { kind: 'param'; text: string }
  | { kind: 'cmdsubst'; script: Script }
  | { kind: 'procsubst'; dir: '<' | '>'; script: Script }
  | { kind: 'arith'; text: string }

export interface Word {
  raw: string
  parts: WordPart[]
}

export interface Redirect {
  op: string
  fd: string | null
  /** Filename, fd number, here-string or heredoc delimiter. */
  target: Word
  /** Body of a << heredoc, filled in when its line has been read. */
  heredoc: Word | null
}

export type Command =
  | { type: 'simple'; assigns: Word[]; words: Word[]; redirects: Redirect[] }
  | { type: 'subshell' | 'group'; body: Script; redirects: Redirect[] }
  | { type: 'function'; name: string; body: Command }
  /** if/while/for/case/[[ ]]/(( )) pieces: words are only expanded, bodies run. */
  | { type: 'compound'; keyword: CompoundKeyword; words: Word[]; bodies: Script[]; redirects: Redirect[] }

/** Which compound a `compound` node came from: `end` is a closing fi/done/esac. */
export type CompoundKeyword = 'end' | '((' | 'for' | 'case' | '[['

export interface Pipeline {
  commands: Command[]
}

export interface AndOr {
  pipelines: Pipeline[]
  background: boolean
}

export interface Script {
  items: AndOr[]
}

/** The word's value after quote removal, or null when expansion decides it at run time. */
export function literalOf(word: Word): string
export function literalOf(word: Word, strict: true): string | null
export function literalOf(word: Word, strict = false): string | null {
  let out = ''
  for (const p of word.parts) {
    if (p.kind === 'lit') out += p.text
    else if (strict) return null
    else out += p.kind === 'param' || p.kind === 'arith' ? p.text : '$(…)'
  }
  return out
}

export function mergeLiterals(parts: WordPart[]): WordPart[] {
  const out: WordPart[] = []
  for (const p of parts) {
    const last = out[out.length - 1]
    if (p.kind === 'lit' && last?.kind === 'lit' && last.quoted === p.quoted && !p.dollar && !last.dollar)
      out[out.length - 1] = { ...last, text: last.text + p.text }
    else out.push(p)
  }
  return out
}
