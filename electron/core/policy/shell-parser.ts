// A bash-subset parser built for judging, not for running: it keeps every place where code runs
// (commands, subshells, groups, $( ), backticks, <( ), functions, heredocs) and throws ShellParseError on
// anything it does not understand, so the policy can ask a person instead of guessing.
// No npm parser fit: sh-syntax (mvdan/sh in WASM) is async and its JSON AST drops node types, mvdan-sh is
// deprecated upstream, shell-quote and bash-parser lose or misread subshell structure.
import { literalOf, ShellParseError } from './shell-ast'
import type { AndOr, Command, Pipeline, Redirect, Script, Word } from './shell-ast'
import { MAX_NESTING, META, WordReader } from './shell-words'
import type { ListEnd } from './shell-words'

export { literalOf, ShellParseError }
export type { AndOr, Command, Pipeline, Redirect, Script, Word, WordPart } from './shell-ast'

// Reserved words that only prefix the next command in the flattened view this parser keeps.
const PREFIX_WORDS = ['if', 'then', 'elif', 'else', 'while', 'until', 'do', '!', 'time']
const CLOSER_WORDS = ['fi', 'done', 'esac']
const REDIRECT_RE = /^(\d*)(<<<|<<-|<<|<>|<&|>>|>&|>\||&>>|&>|<|>)/

export function parseShell(src: string): Script {
  return new Parser(src, 0).parseScript()
}

class Parser extends WordReader {
  private pending: Array<{ redirect: Redirect; delim: string; strip: boolean; quoted: boolean }> = []

  parseScript(): Script {
    const script = this.parseList(null)
    this.flushHeredocs()
    return script
  }

  protected parseNested(src: string): Script {
    if (this.nesting + 1 > MAX_NESTING) this.fail('nesting is too deep to judge')
    return new Parser(src, this.nesting + 1).parseScript()
  }

  private skipBlanksAndNewlines(): void {
    for (;;) {
      this.skipBlanks()
      if (this.peek() !== '\n') return
      this.pos++
      this.readHeredocs()
    }
  }

  protected parseList(end: ListEnd): Script {
    if (++this.nesting > MAX_NESTING) this.fail('nesting is too deep to judge')
    const items: AndOr[] = []
    for (;;) {
      this.skipBlanksAndNewlines()
      if (this.atListEnd(end)) break
      const item = this.parseAndOr()
      items.push(item)
      this.skipBlanks()
      if (this.peek() === '&' && !this.startsWith('&&') && !this.startsWith('&>')) {
        this.pos++
        item.background = true
      } else if (this.peek() === ';' && !this.startsWith(';;') && !this.startsWith(';&')) {
        this.pos++
      } else if (this.peek() !== '\n' && !this.atListEnd(end)) {
        this.fail(`unexpected \`${this.peek()}\``)
      }
    }
    this.nesting--
    return { items }
  }

  private atListEnd(end: ListEnd): boolean {
    if (this.pos >= this.src.length) {
      if (end === null) return true
      this.fail(end === 'case' ? 'missing `esac`' : `missing \`${end}\``)
    }
    if (end === ')') return this.peek() === ')'
    if (end === '}') return this.atReserved('}')
    if (end === 'case') return this.startsWith(';;') || this.startsWith(';&') || this.atReserved('esac')
    return false
  }

  private parseAndOr(): AndOr {
    const pipelines = [this.parsePipeline()]
    for (;;) {
      this.skipBlanks()
      if (!this.startsWith('&&') && !this.startsWith('||')) break
      this.pos += 2
      this.skipBlanksAndNewlines()
      pipelines.push(this.parsePipeline())
    }
    return { pipelines, background: false }
  }

  private parsePipeline(): Pipeline {
    const commands = [this.parseCommand()]
    for (;;) {
      this.skipBlanks()
      if (this.peek() !== '|' || this.startsWith('||')) break
      this.pos += this.startsWith('|&') ? 2 : 1
      this.skipBlanksAndNewlines()
      commands.push(this.parseCommand())
    }
    return { commands }
  }

  private parseCommand(): Command {
    this.skipBlanks()
    for (let kw = PREFIX_WORDS.find((w) => this.atReserved(w)); kw; kw = PREFIX_WORDS.find((w) => this.atReserved(w))) {
      this.pos += kw.length
      this.skipBlanksAndNewlines()
      if (kw === 'time' && this.atReserved('-p')) this.pos += 2
    }
    const closer = CLOSER_WORDS.find((w) => this.atReserved(w))
    if (closer) {
      this.pos += closer.length
      return { type: 'compound', keyword: 'end', words: [], bodies: [], redirects: this.parseRedirects() }
    }
    if (this.startsWith('((')) {
      this.pos += 2
      const words = [this.arithWord(this.pos - 2)]
      return { type: 'compound', keyword: '((', words, bodies: [], redirects: this.parseRedirects() }
    }
    if (this.peek() === '(') {
      this.pos++
      const body = this.parseList(')')
      this.pos++
      return { type: 'subshell', body, redirects: this.parseRedirects() }
    }
    if (this.atReserved('{')) {
      this.pos++
      const body = this.parseList('}')
      this.pos++
      return { type: 'group', body, redirects: this.parseRedirects() }
    }
    if (this.atReserved('for') || this.atReserved('select')) return this.parseFor()
    if (this.atReserved('case')) return this.parseCase()
    if (this.atReserved('[[')) return this.parseTest()
    if (this.atReserved('function')) {
      this.pos += 'function'.length
      this.skipBlanks()
      const name = this.readWord().raw
      this.skipBlanks()
      if (this.peek() === '(') this.expectEmptyParens()
      this.skipBlanksAndNewlines()
      return { type: 'function', name, body: this.parseCommand() }
    }
    if (this.atReserved('coproc')) this.fail('`coproc` is not supported')
    return this.parseSimple()
  }

  private parseSimple(): Command {
    const assigns: Word[] = []
    const words: Word[] = []
    const redirects: Redirect[] = []
    const start = this.pos
    for (;;) {
      this.skipBlanks()
      const c = this.peek()
      if (c === undefined || c === ';' || c === '\n' || c === ')' || c === '|') break
      if (c === '&' && !this.startsWith('&>')) break
      if (this.atRedirect()) {
        redirects.push(this.parseRedirect())
        continue
      }
      if (c === '(') {
        const first = words[0]
        if (words.length === 1 && first && assigns.length === 0 && redirects.length === 0) {
          this.expectEmptyParens()
          this.skipBlanksAndNewlines()
          return { type: 'function', name: first.raw, body: this.parseCommand() }
        }
        this.fail('unexpected `(`')
      }
      const word = this.readWord()
      if (words.length > 0 || !isAssignment(word)) {
        words.push(word)
      } else if (word.raw.endsWith('=') && this.peek() === '(') {
        // Array elements are words the judge would have to follow through later expansions.
        this.fail('array assignments are not judged')
      } else {
        assigns.push(word)
      }
    }
    if (words.length + assigns.length + redirects.length === 0) {
      this.fail(this.peek() === undefined ? 'missing command' : `unexpected \`${this.peek()}\``, start)
    }
    return { type: 'simple', assigns, words, redirects }
  }

  private expectEmptyParens(): void {
    this.pos++
    this.skipBlanks()
    if (this.peek() !== ')') this.fail('expected `)` in function definition')
    this.pos++
  }

  private parseFor(): Command {
    this.pos += this.atReserved('for') ? 3 : 6
    this.skipBlanks()
    if (this.startsWith('((')) {
      this.pos += 2
      return { type: 'compound', keyword: '((', words: [this.arithWord(this.pos - 2)], bodies: [], redirects: [] }
    }
    this.readWord()
    this.skipBlanksAndNewlines()
    if (!this.atReserved('in')) return { type: 'compound', keyword: 'for', words: [], bodies: [], redirects: [] }
    this.pos += 2
    const words: Word[] = []
    for (this.skipBlanks(); this.peek() !== undefined && !META.has(this.peek() ?? ''); this.skipBlanks()) {
      words.push(this.readWord())
    }
    return { type: 'compound', keyword: 'for', words, bodies: [], redirects: [] }
  }

  private parseCase(): Command {
    this.pos += 4
    this.skipBlanks()
    const words = [this.readWord()]
    this.skipBlanksAndNewlines()
    if (!this.atReserved('in')) this.fail('expected `in` after `case`')
    this.pos += 2
    const bodies: Script[] = []
    for (;;) {
      this.skipBlanksAndNewlines()
      if (this.atReserved('esac')) break
      if (this.pos >= this.src.length) this.fail('missing `esac`')
      if (this.peek() === '(') this.pos++
      for (;;) {
        this.skipBlanks()
        words.push(this.readWord())
        this.skipBlanks()
        const c = this.peek()
        this.pos++
        if (c === ')') break
        if (c !== '|') this.fail('expected `)` after a case pattern', this.pos - 1)
      }
      bodies.push(this.parseList('case'))
      if (this.startsWith(';;&')) this.pos += 3
      else if (this.startsWith(';;') || this.startsWith(';&')) this.pos += 2
    }
    this.pos += 4
    return { type: 'compound', keyword: 'case', words, bodies, redirects: this.parseRedirects() }
  }

  private parseTest(): Command {
    this.pos += 2
    const words: Word[] = []
    for (;;) {
      this.skipBlanksAndNewlines()
      if (this.atReserved(']]')) break
      const c = this.peek()
      if (c === undefined) this.fail('missing `]]`')
      if (c === ';') this.fail('unexpected `;` inside `[[ ]]`')
      if (this.startsWith('&&') || this.startsWith('||')) this.pos += 2
      else if ('&|<>()!'.includes(c)) this.pos++
      else words.push(this.readWord())
    }
    this.pos += 2
    return { type: 'compound', keyword: '[[', words, bodies: [], redirects: this.parseRedirects() }
  }

  private atRedirect(): boolean {
    const m = REDIRECT_RE.exec(this.src.slice(this.pos, this.pos + 12))
    if (!m) return false
    return !(m[1] === '' && (m[2] === '<' || m[2] === '>') && this.peek(1) === '(')
  }

  private parseRedirects(): Redirect[] {
    const redirects: Redirect[] = []
    for (this.skipBlanks(); this.atRedirect(); this.skipBlanks()) redirects.push(this.parseRedirect())
    return redirects
  }

  private parseRedirect(): Redirect {
    const m = REDIRECT_RE.exec(this.src.slice(this.pos, this.pos + 12))
    if (!m) this.fail('expected a redirection')
    this.pos += m[0].length
    this.skipBlanks()
    const c = this.peek()
    if (c === undefined || (META.has(c) && !((c === '<' || c === '>') && this.peek(1) === '('))) {
      this.fail(`redirection \`${m[0]}\` has no target`)
    }
    const op = m[2] ?? ''
    const redirect: Redirect = { op, fd: m[1] || null, target: this.readWord(), heredoc: null }
    if (op === '<<' || op === '<<-') {
      const quoted = /['"\\]/.test(redirect.target.raw)
      this.pending.push({ redirect, delim: literalOf(redirect.target), strip: op === '<<-', quoted })
    }
    return redirect
  }

  private readHeredocs(): void {
    for (const h of this.pending.splice(0)) {
      let body = ''
      while (this.pos < this.src.length) {
        let end = this.src.indexOf('\n', this.pos)
        if (end < 0) end = this.src.length
        const line = this.src.slice(this.pos, end)
        this.pos = Math.min(end + 1, this.src.length)
        if ((h.strip ? line.replace(/^\t+/, '') : line) === h.delim) break
        body += line + '\n'
      }
      h.redirect.heredoc = h.quoted
        ? { raw: body, parts: [{ kind: 'lit', text: body, quoted: true }] }
        : new Parser(body, this.nesting + 1).readDoubleQuoted(null)
    }
  }

  private flushHeredocs(): void {
    for (const h of this.pending.splice(0)) h.redirect.heredoc = { raw: '', parts: [] }
  }
}

function isAssignment(word: Word): boolean {
  const first = word.parts[0]
  if (!first || first.kind !== 'lit' || first.quoted) return false
  let head = ''
  for (const p of word.parts) {
    if (p.kind !== 'lit' || p.quoted) break
    head += p.text
  }
  return /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(head)
}
