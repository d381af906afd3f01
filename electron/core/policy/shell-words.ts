// Word-level reading for the policy's shell parser: quotes, escapes, $'…', parameters, arithmetic and the
// substitutions that run code ($( ), backticks, <( )), whose bodies the grammar in shell-parser.ts parses.
import { mergeLiterals, ShellParseError } from './shell-ast'
import type { Script, Word, WordPart } from './shell-ast'

export type ListEnd = ')' | '}' | 'case' | null

// bash's metacharacters; a carriage return is an ordinary word character to bash, so `\r#` starts no comment.
export const META = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>'])
export const MAX_NESTING = 40

export abstract class WordReader {
  protected pos = 0

  constructor(
    protected readonly src: string,
    protected nesting: number,
  ) {}

  /** Parses commands up to `end`, leaving pos on the closing token. */
  protected abstract parseList(end: ListEnd): Script
  /** Parses a whole nested script (a backtick body) with its own positions. */
  protected abstract parseNested(src: string): Script

  protected fail(reason: string, at = this.pos): never {
    throw new ShellParseError(reason, at)
  }

  protected peek(offset = 0): string | undefined {
    return this.src[this.pos + offset]
  }

  protected startsWith(s: string): boolean {
    return this.src.startsWith(s, this.pos)
  }

  protected atReserved(word: string): boolean {
    if (!this.startsWith(word)) return false
    const next = this.src[this.pos + word.length]
    return next === undefined || META.has(next)
  }

  protected skipBlanks(): void {
    for (;;) {
      const c = this.peek()
      if (c === ' ' || c === '\t') this.pos++
      else if (c === '\\' && this.peek(1) === '\n') this.pos += 2
      else if (c === '#') while (this.pos < this.src.length && this.peek() !== '\n') this.pos++
      else return
    }
  }

  protected readWord(): Word {
    const start = this.pos
    const parts: WordPart[] = []
    while (this.pos < this.src.length) {
      const c = this.src[this.pos] ?? ''
      if (META.has(c)) {
        if ((c === '<' || c === '>') && this.peek(1) === '(' && this.pos === start) {
          this.pos += 2
          const script = this.parseList(')')
          this.pos++
          parts.push({ kind: 'procsubst', dir: c, script })
          continue
        }
        break
      }
      if (c === '\\') {
        const next = this.peek(1)
        if (next === undefined) parts.push({ kind: 'lit', text: '\\', quoted: false })
        else if (next !== '\n') parts.push({ kind: 'lit', text: next, quoted: true })
        this.pos += next === undefined ? 1 : 2
      } else if (c === "'") {
        const end = this.src.indexOf("'", this.pos + 1)
        if (end < 0) this.fail('unclosed single quote')
        parts.push({ kind: 'lit', text: this.src.slice(this.pos + 1, end), quoted: true })
        this.pos = end + 1
      } else if (c === '"') {
        this.pos++
        parts.push(...this.readDoubleQuoted('"').parts)
      } else if (c === '`') {
        parts.push(this.readBacktick())
      } else if (c === '$') {
        parts.push(...this.readDollar(false))
      } else {
        parts.push({ kind: 'lit', text: c, quoted: false })
        this.pos++
      }
    }
    if (parts.length === 0 && this.pos === start) this.fail(`unexpected \`${this.peek() ?? 'end of input'}\``)
    return { raw: this.src.slice(start, this.pos), parts: mergeLiterals(parts) }
  }

  /** Reads up to the closing quote, or to the end for an unquoted heredoc body (term null). */
  readDoubleQuoted(term: '"' | null): Word {
    const start = this.pos
    const parts: WordPart[] = []
    for (;;) {
      const c = this.peek()
      if (c === undefined) {
        if (term) this.fail('unclosed double quote', start - 1)
        break
      }
      if (c === term) {
        this.pos++
        break
      }
      if (c === '\\' && this.peek(1) !== undefined && '$`"\\\n'.includes(this.peek(1) ?? '')) {
        if (this.peek(1) !== '\n') parts.push({ kind: 'lit', text: this.peek(1) ?? '', quoted: true })
        this.pos += 2
      } else if (c === '`') {
        parts.push(this.readBacktick())
      } else if (c === '$') {
        parts.push(...this.readDollar(true))
      } else {
        parts.push({ kind: 'lit', text: c, quoted: true })
        this.pos++
      }
    }
    return { raw: this.src.slice(start, this.pos), parts: mergeLiterals(parts) }
  }

  protected readBacktick(): WordPart {
    const start = this.pos++
    let inner = ''
    for (;;) {
      const c = this.peek()
      if (c === undefined) this.fail('unclosed backtick', start)
      this.pos++
      if (c === '`') break
      const next = this.peek()
      if (c === '\\' && next !== undefined && '$`\\'.includes(next)) {
        inner += next
        this.pos++
      } else {
        inner += c
      }
    }
    return { kind: 'cmdsubst', script: this.parseNested(inner) }
  }

  protected readDollar(inQuotes: boolean): WordPart[] {
    const start = this.pos
    const next = this.peek(1)
    if (next === '(' && this.peek(2) === '(') {
      this.pos += 3
      const word = this.arithWord(start)
      return [{ kind: 'arith', text: word.raw }]
    }
    if (next === '(') {
      this.pos += 2
      const script = this.parseList(')')
      this.pos++
      return [{ kind: 'cmdsubst', script }]
    }
    if (next === '{') {
      let depth = 0
      for (let i = this.pos + 1; i < this.src.length; i++) {
        const c = this.src[i]
        if (c === '\\') i++
        else if (c === '{') depth++
        else if (c === '}' && --depth === 0) {
          const text = this.src.slice(this.pos, i + 1)
          if (/\$\(|`/.test(text)) this.fail('command substitution inside `${…}` cannot be judged', start)
          this.pos = i + 1
          return [{ kind: 'param', text }]
        }
      }
      this.fail('unclosed `${`', start)
    }
    if (next === "'" && !inQuotes) {
      this.pos += 2
      let text = ''
      for (let c = this.peek(); c !== "'"; c = this.peek()) {
        if (c === undefined) this.fail("unclosed `$'` quote", start)
        if (c === '\\') {
          text += this.ansiEscape()
        } else {
          text += c
          this.pos++
        }
      }
      this.pos++
      return [{ kind: 'lit', text, quoted: true, dollar: true }]
    }
    if (next === '"' && !inQuotes) {
      this.pos += 2
      return [...this.readDoubleQuoted('"').parts, { kind: 'lit', text: '', quoted: true, dollar: true }]
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*|^[0-9@*#?$!-]/.exec(this.src.slice(this.pos + 1, this.pos + 200))
    if (!name) {
      this.pos++
      return [{ kind: 'lit', text: '$', quoted: inQuotes }]
    }
    this.pos += 1 + name[0].length
    return [{ kind: 'param', text: '$' + name[0] }]
  }

  /** Decodes one escape of a $'…' string; hex and octal matter because they can spell a command name. */
  protected ansiEscape(): string {
    const rest = this.src.slice(this.pos + 1, this.pos + 11)
    const numeric = /^(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3})/.exec(rest)
    if (numeric) {
      this.pos += 1 + numeric[0].length
      const digits = numeric[0]
      const code = /^[0-7]/.test(digits) ? parseInt(digits, 8) : parseInt(digits.slice(1), 16)
      return code <= 0x10ffff ? String.fromCodePoint(code) : ''
    }
    const c = rest[0] ?? ''
    this.pos += 1 + (c ? 1 : 0)
    if (c === 'c') {
      const ctl = this.src[this.pos] ?? ''
      this.pos++
      return String.fromCharCode(ctl.toUpperCase().charCodeAt(0) & 0x1f)
    }
    const map: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      e: '\x1b',
      E: '\x1b',
      a: '\x07',
      b: '\b',
      v: '\v',
      f: '\f',
    }
    return map[c] ?? c
  }

  /** Arithmetic is harmless unless it hides a command substitution, which this parser does not follow. */
  protected arithWord(start: number): Word {
    let depth = 0
    for (let i = this.pos; i < this.src.length; i++) {
      const c = this.src[i]
      if (c === '(') depth++
      else if (c === ')') {
        if (depth === 0) {
          if (this.src[i + 1] !== ')') this.fail('unbalanced `((`', start)
          const raw = this.src.slice(start, i + 2)
          if (/\$\(|`/.test(raw.slice(2))) this.fail('command substitution inside arithmetic cannot be judged', start)
          this.pos = i + 2
          return { raw, parts: [{ kind: 'arith', text: raw }] }
        }
        depth--
      }
    }
    return this.fail('missing `))`', start)
  }
}
