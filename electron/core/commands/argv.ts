/**
 * Splits a command line into argv when it is a plain command (words, quotes, escapes).
 * Returns null when it needs a shell (pipes, redirections, expansions, globs, several
 * commands): then, and only then, the command runs under bash -c (see shellArgv).
 */
/** Words only a shell understands (builtins and bash's reserved words): run them through one, or spawn fails with ENOENT. */
const SHELL_BUILTINS = new Set([
  '.', ':', 'alias', 'bg', 'break', 'cd', 'command', 'continue', 'eval', 'exec', 'exit', 'export', 'fg', 'getopts',
  'hash', 'jobs', 'readonly', 'read', 'return', 'set', 'shift', 'source', 'times', 'trap', 'type', 'ulimit', 'umask',
  'unalias', 'unset', 'wait', 'declare', 'typeset', 'local', 'let', 'shopt', 'printf', 'builtin', 'enable', 'mapfile',
  'readarray', 'pushd', 'popd', 'dirs', 'disown', 'if', 'then', 'else', 'elif', 'fi', 'case', 'esac', 'for', 'select',
  'while', 'until', 'do', 'done', 'in', 'function', 'time', 'coproc', '{', '}', '!', '[[', ']]',
])

/**
 * What to spawn for a command line: its own argv when it is plain, else bash -c. bash, not /bin/sh: the policy
 * judges shell syntax with bash's grammar, and /bin/sh is dash on Debian, which reads `[[`, `&>`, `$'…'` otherwise.
 */
export function shellArgv(line: string): { file: string; args: string[]; shell: boolean } {
  const argv = plainArgv(line)
  if (argv) return { file: argv[0]!, args: argv.slice(1), shell: false }
  return { file: 'bash', args: ['-c', line], shell: true }
}

export function plainArgv(line: string): string[] | null {
  const argv = splitPlain(line)
  return argv && !SHELL_BUILTINS.has(argv[0]!) ? argv : null
}

function splitPlain(line: string): string[] | null {
  const out: string[] = []
  let cur = ''
  let inWord = false
  let i = 0
  while (i < line.length) {
    const c = line[i]!
    if (c === ' ' || c === '\t') {
      if (inWord) {
        out.push(cur)
        cur = ''
        inWord = false
      }
      i++
      continue
    }
    if (c === "'") {
      const end = line.indexOf("'", i + 1)
      if (end < 0) return null
      cur += line.slice(i + 1, end)
      inWord = true
      i = end + 1
      continue
    }
    if (c === '"') {
      let j = i + 1
      let s = ''
      while (j < line.length && line[j] !== '"') {
        const d = line[j]!
        if (d === '$' || d === '`') return null
        if (d === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1]!)) {
          s += line[j + 1]
          j += 2
          continue
        }
        s += d
        j++
      }
      if (j >= line.length) return null
      cur += s
      inWord = true
      i = j + 1
      continue
    }
    if (c === '\\') {
      if (i + 1 >= line.length) return null
      cur += line[i + 1]
      inWord = true
      i += 2
      continue
    }
    if ('|&;<>()$`*?[]{}~!#\n\r'.includes(c)) return null
    // An assignment prefix (FOO=1 cmd) is shell syntax too.
    if (c === '=' && !inWord) return null
    if (c === '=' && out.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(cur)) return null
    cur += c
    inWord = true
    i++
  }
  if (inWord) out.push(cur)
  return out.length ? out : null
}
