// Shell syntax the judge does not model closely enough to allow. The parser reads these shapes so that the
// commands inside them are still judged (and denied where they must be), but bash and the judge can disagree
// on what they run, so a command line using any of them needs a person's approval.
import { literalOf } from './shell-ast'
import type { Command, Redirect, Word } from './shell-ast'
import { isSafeVariable } from './safe-commands'

const SIMPLE_PARAM = /^\$(\{#?([A-Za-z_]\w*|[0-9@*#?$!-])\}|[A-Za-z_]\w*|[0-9@*#?$!-])$/
const MODELLED_REDIRECTS = new Set(['<', '>', '>>', '<<', '<<-'])

/** Why this word's expansion is not modelled, or null. */
export function unmodelledWord(word: Word): string | null {
  for (const p of word.parts) {
    if (p.kind === 'cmdsubst') return 'command substitution `$(…)`'
    if (p.kind === 'procsubst') return 'process substitution `<(…)`'
    if (p.kind === 'arith') return 'arithmetic expansion `$((…))`'
    // `${x@P}`, `${!x}`, `${x/…}` …: prompt expansion alone runs `$(…)` hidden in a variable's value.
    if (p.kind === 'param' && !SIMPLE_PARAM.test(p.text)) return `the parameter expansion \`${p.text}\``
    if (p.kind === 'lit' && p.dollar) return "`$'…'` or `$\"…\"` quoting"
  }
  const unquoted = word.parts.map((p) => (p.kind === 'lit' && !p.quoted ? p.text : ' ')).join('')
  if (/\{.*\}/s.test(unquoted) && unquoted !== '{}') return 'brace expansion `{a,b}`'
  return null
}

/** Why this redirection is not modelled, or null: only plain reads, writes, appends, heredocs and fd copies are. */
export function unmodelledRedirect(r: Redirect): string | null {
  if (r.op === '>&' || r.op === '<&') return /^(\d+-?|-)$/.test(literalOf(r.target, true) ?? '') ? null : `\`${r.op}\` to a file`
  return MODELLED_REDIRECTS.has(r.op) ? null : `the redirection \`${r.op}\``
}

/** Why this command's own syntax is not modelled, or null (if/while/for/case are: their bodies are judged). */
export function unmodelledCommand(c: Command): string | null {
  if (c.type === 'subshell') return 'a `( … )` subshell'
  if (c.type === 'group') return 'a `{ …; }` group'
  if (c.type === 'function') return `the function definition \`${c.name}\``
  if (c.type === 'compound' && (c.keyword === '[[' || c.keyword === '((')) return `\`${c.keyword} … ${c.keyword === '[[' ? ']]' : '))'}\``
  return null
}

/** Assigning PATH, IFS, BASH_ENV, LD_PRELOAD … changes what later commands run. */
export function unmodelledAssignment(word: Word): string | null {
  const name = /^[A-Za-z_]\w*/.exec(literalOf(word))?.[0] ?? ''
  return isSafeVariable(name) && !/^[A-Za-z_]\w*\[/.test(word.raw) ? null : `setting \`${name || word.raw}\``
}
