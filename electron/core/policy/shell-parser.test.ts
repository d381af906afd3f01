import { describe, expect, it } from 'vitest'
import { expandBraces } from './command-words'
import { literalOf, parseShell, ShellParseError } from './shell-parser'
import type { Command, Script, Word } from './shell-parser'

/** argv of every simple command, in source order, including those inside substitutions and bodies. */
function commands(script: Script): string[][] {
  const out: string[][] = []
  const visitWords = (words: Word[]): void => {
    for (const w of words)
      for (const p of w.parts) if (p.kind === 'cmdsubst' || p.kind === 'procsubst') out.push(...commands(p.script))
  }
  const visit = (c: Command): void => {
    if (c.type === 'simple') {
      out.push(c.words.map((w) => literalOf(w)))
      visitWords([...c.assigns, ...c.words])
    } else if (c.type === 'subshell' || c.type === 'group') out.push(...commands(c.body))
    else if (c.type === 'function') visit(c.body)
    else if (c.type === 'compound') for (const b of c.bodies) out.push(...commands(b))
  }
  for (const item of script.items) for (const p of item.pipelines) p.commands.forEach(visit)
  return out
}

describe('parseShell', () => {
  it.each([
    ['a | b && c || d; e & f', [['a'], ['b'], ['c'], ['d'], ['e'], ['f']]],
    ['echo \'a b\' "c $HOME" d\\ e', [['echo', 'a b', 'c $HOME', 'd e']]],
    ['x=$(date) y=2 env', [['env'], ['date']]],
    ['(cd a; make) && { make test; }', [['cd', 'a'], ['make'], ['make', 'test']]],
    ['echo "$(whoami)" `id`', [['echo', '$(…)', '$(…)'], ['whoami'], ['id']]],
    ['diff <(ls a) >(cat)', [['diff', '$(…)', '$(…)'], ['ls', 'a'], ['cat']]],
    ['if a; then b; elif c; then d; else e; fi', [['a'], ['b'], ['c'], ['d'], ['e']]],
    [
      'while read l; do echo "$l"; done < f',
      [
        ['read', 'l'],
        ['echo', '$l'],
      ],
    ],
    ['case $1 in a|b) x ;; (*) y ;; esac', [['x'], ['y']]],
    ['f() { g; }; function h { i; }', [['g'], ['i']]],
    ['cat <<EOF | wc -l\nline $(inside)\nEOF\nnext', [['cat'], ['wc', '-l'], ['next']]],
    ["echo $'\\x41\\101\\n' # comment", [['echo', 'AA\n']]],
  ])('%j', (src, expected) => {
    expect(commands(parseShell(src))).toEqual(expected)
  })

  it('reads a carriage return as part of a word, as bash does, so `\\r#` starts no comment', () => {
    expect(commands(parseShell('ls \r# ; id'))).toEqual([['ls', '\r#'], ['id']])
  })

  it('tells compound commands apart, so the judge can refuse [[ ]] and (( )) but follow if/for/case', () => {
    const kinds = parseShell('[[ -n x ]]; (( 1 )); for a in b; do c; done').items.map((i) => {
      const c = i.pipelines[0]?.commands[0]
      return c?.type === 'compound' ? c.keyword : c?.type
    })
    expect(kinds).toEqual(['[[', '((', 'for', 'simple', 'end'])
  })

  it('keeps heredoc bodies and background flags', () => {
    const script = parseShell('cat <<-END &\n\tbody $(x)\n\tEND\n')
    const item = script.items[0]
    const cmd = item?.pipelines[0]?.commands[0]
    expect(item?.background).toBe(true)
    expect(cmd?.type === 'simple' && cmd.redirects[0]?.heredoc?.raw).toBe('\tbody $(x)\n')
  })

  it.each([
    ['echo "open', 'unclosed double quote'],
    ["echo 'open", 'unclosed single quote'],
    ['echo `open', 'unclosed backtick'],
    ['echo $(open', 'missing `)`'],
    ['{ echo', 'missing `}`'],
    ['a &&', 'missing command'],
    ['a | | b', 'unexpected `|`'],
    ['echo >', 'has no target'],
    ['echo ${a:-$(b)}', 'inside `${…}`'],
    ['coproc cat', '`coproc` is not supported'],
    ['a=(x $(id)); b', 'array assignments are not judged'],
    ['$('.repeat(60) + ')'.repeat(60), 'too deep'],
  ])('refuses %j', (src, reason) => {
    expect(() => parseShell(src)).toThrow(ShellParseError)
    expect(() => parseShell(src)).toThrow(reason)
  })
})

describe('expandBraces', () => {
  it.each([
    ['/{,}', ['/', '/']],
    ['a{b,c}d', ['abd', 'acd']],
    ['{1..3}', ['1', '2', '3']],
    ['x{a,{b,c}}', ['xa', 'xb', 'xc']],
    ['{}', ['{}']],
    ['{a}', ['{a}']],
  ])('%s', (src, expected) => expect(expandBraces(src)).toEqual(expected))
})
