// The allowlist behind `allow`: a command is allowed only when its program is listed here and its arguments
// have a shape known to only read, list or run the workspace's own scripts. Everything else needs approval,
// however harmless it may be, because tools run code and write files through options no denylist keeps up
// with (`tar --to-command`, `sed e`, `git -c core.pager=`, `sort -o`, `less !sh` …).
import { basename, isOutsideWorkspace, protectedWorkspacePath } from './command-words'
import type { Arg, CommandContext } from './command-words'

type Shape = (args: Arg[], ctx: CommandContext) => boolean

/** Known before the command runs: no expansion, no glob that could turn into an option. */
const fixed = (a: Arg | undefined): a is Arg => !!a && a.literal && !a.glob
const allFixed = (args: Arg[]): boolean => args.every(fixed)
const ANY: Shape = () => true
const NONE: Shape = (args) => args.length === 0

/** Variables that change how later commands are found or run (PATH, LD_PRELOAD, BASH_ENV, IFS, GIT_*, …) are
 * all upper case; lower-case names and these few are plain data. */
const SAFE_VARIABLES = new Set(['NODE_ENV', 'CI', 'DEBUG', 'FORCE_COLOR', 'NO_COLOR', 'LANG', 'LC_ALL', 'TZ'])
export const isSafeVariable = (name: string): boolean => /^[a-z_][a-z0-9_]*$/.test(name) || SAFE_VARIABLES.has(name)

/** `-x` clusters holding any of `letters`, or a long option starting with one of `longs`. */
const hasOption = (args: Arg[], letters: string, longs: string[] = []): boolean =>
  args.some(
    (a) =>
      (/^-[A-Za-z0-9]+$/.test(a.value) && [...letters].some((l) => a.value.includes(l))) ||
      longs.some((l) => a.value.startsWith(l)),
  )

const operandsOf = (args: Arg[]): Arg[] => args.filter((a) => !a.value.startsWith('-'))

const insideWorkspace: Shape = (args, ctx) =>
  allFixed(args) &&
  operandsOf(args).every((a) => !isOutsideWorkspace(a.value, ctx) && !protectedWorkspacePath(a.value, ctx))

/** A script file of the workspace's own, not one a flow, a download or a browser profile put there. */
const script =
  (flags: RegExp | null, code: string | null): Shape =>
  (args, ctx) => {
    let i = 0
    while (flags && fixed(args[i]) && flags.test(args[i]?.value ?? '')) i++
    const file = args[i]
    if (code && i === 0 && file?.value === code) return args.length === 2 && fixed(args[1])
    if (!fixed(file) || file.value.startsWith('-')) return false
    return !isOutsideWorkspace(file.value, ctx) && !protectedWorkspacePath(file.value, ctx)
  }

const ADDR = String.raw`(?:\d+|\$|/(?:\\.|[^/\\])*/[IM]*)`
const SED_COMMAND = new RegExp(
  String.raw`^(?:${ADDR}(?:,${ADDR})?)?\s*!?\s*(?:[pdqQ=nNgGhHxlz]?|s(.)(?:\\.|(?!\1)[^\\])*\1(?:\\.|(?!\1)[^\\])*\1[gpiImM0-9]*|y(.)(?:(?!\2).)*\2(?:(?!\2).)*\2)$`,
)

/** sed without -i or -f, whose script uses only printing, deleting and `s`/`y` without the `e`/`w` flags. */
const sed: Shape = (args) => {
  if (!allFixed(args)) return false
  const scripts: string[] = []
  for (let i = 0; i < args.length; i++) {
    const v = args[i]?.value ?? ''
    if (/^-[nErsuz]+$/.test(v) || ['--quiet', '--silent', '--regexp-extended', '--posix', '--'].includes(v)) continue
    if (v === '-e' || v === '--expression') scripts.push(args[++i]?.value ?? '')
    else if (v.startsWith('--expression=')) scripts.push(v.slice('--expression='.length))
    else if (v.startsWith('-')) return false
    else if (scripts.length === 0) scripts.push(v)
  }
  return scripts.every((s) => s.split(/[;\n]/).every((c) => SED_COMMAND.test(c.trim())))
}

/** awk whose program cannot run commands, write files or load code: no pipes, `>`, system, getline or @. */
const awk: Shape = (args) => {
  if (!allFixed(args)) return false
  for (let i = 0; i < args.length; i++) {
    const v = args[i]?.value ?? ''
    if (v === '-F' || v === '-v') i++
    else if (/^-[Fv]./.test(v) || v.startsWith('--field-separator=') || v.startsWith('--assign=')) continue
    else if (v.startsWith('-') && v !== '--') return false
    else {
      const program = (v === '--' ? args[i + 1]?.value : v) ?? ''
      // Strings go first; a `/` left outside them may be a regex hiding a quote, so it is refused too.
      const code = program.replace(/"(?:\\.|[^"\\\n])*"/g, '""')
      return !/[|>@/`]|system|getline|close|fflush/.test(code)
    }
  }
  return false
}

const FIND_ACTIONS = ['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fprint', '-fprint0', '-fprintf', '-fls']
const find: Shape = (args) => allFixed(args) && !args.some((a) => FIND_ACTIONS.includes(a.value))

const GIT_READS = new Set(['status', 'log', 'diff', 'show', 'rev-parse', 'ls-files', 'ls-tree', 'blame', 'shortlog'])
const GIT_OTHERS = new Set(['describe', 'cat-file', 'grep', 'add', 'commit', 'init', 'version'])
const GIT_LISTS: Record<string, RegExp> = {
  branch: /^(-a|-r|-v|-vv|--all|--list|--remotes|--show-current|--merged|--no-merged)$/,
  tag: /^(-l|--list)$/,
  remote: /^(-v|--verbose)$/,
  stash: /^list$/,
  config: /^(--get|--get-all|--list|-l)$/,
}
// Options of the allowed subcommands that write files, run programs or reach another repository.
const GIT_RISKY = /^(--output|--ext-diff|--textconv|--upload-pack|--receive-pack|--exec|--open-files-in-pager|-O|--template|--config|--amend)/

const git: Shape = (args) => {
  if (!allFixed(args)) return false
  let i = 0
  for (let v = args[0]?.value ?? ''; v.startsWith('-'); v = args[i]?.value ?? '') {
    if (v === '-C') i += 2
    else if (v === '--no-pager' || v === '-P' || v === '--no-optional-locks') i++
    else return v === '--version' && args.length === 1
  }
  const sub = args[i]?.value ?? ''
  const rest = args.slice(i + 1)
  if (rest.some((a) => GIT_RISKY.test(a.value))) return false
  if (GIT_READS.has(sub) || GIT_OTHERS.has(sub)) return true
  const list = GIT_LISTS[sub]
  if (!list) return false
  if (sub === 'config') return list.test(rest[0]?.value ?? '')
  return rest.every((a) => list.test(a.value))
}

/** `npm test`, `npm run NAME [-- args]`: the workspace's own scripts, without options that swap the shell. */
const npm: Shape = (args) => {
  if (!allFixed(args)) return false
  const sub = args[0]?.value ?? ''
  let i = 1
  if (sub === 'run' || sub === 'run-script') {
    const name = args[1]?.value
    if (name === undefined) return true
    if (!/^[\w:.@/-]+$/.test(name) || name.startsWith('-')) return false
    i = 2
  } else if (!['test', 't', 'tst', 'ls', 'list', '-v', '--version'].includes(sub)) {
    return false
  }
  for (; i < args.length; i++) {
    const v = args[i]?.value ?? ''
    if (v === '--') return true
    if (!['--silent', '-s', '--if-present'].includes(v)) return false
  }
  return true
}

/** Targets only: `VAR=value` operands and `-f`/`--eval` could override SHELL or run make code from anywhere. */
const make: Shape = (args) =>
  allFixed(args) &&
  args.every((a) => /^-(j\d*|k|s|n|B|q)$|^--(keep-going|silent|dry-run|jobs(=\d+)?)$/.test(a.value) || /^\w[\w./-]*$/.test(a.value))

/** tar that only lists an archive; creating or extracting writes files and has options that run programs. */
const tar: Shape = (args) => {
  if (!allFixed(args)) return false
  let lists = false
  for (const [i, a] of args.entries()) {
    const cluster = i === 0 ? /^-?[tvzjJf]+$/ : /^-[tvzjJf]+$/
    if (cluster.test(a.value)) lists ||= a.value.includes('t')
    else if (a.value === '--list') lists = true
    else if (a.value.startsWith('-') && !/^--(verbose|gzip|bzip2|xz|file=.+)$/.test(a.value)) return false
  }
  return lists
}

const SHAPES: Record<string, Shape> = {
  ...Object.fromEntries(
    [
      'echo', 'true', 'false', ':', 'pwd', 'ls', 'cat', 'wc', 'head', 'tail', 'grep', 'egrep', 'fgrep', 'basename',
      'dirname', 'realpath', 'readlink', 'stat', 'du', 'df', 'whoami', 'id', 'uname', 'which', 'type', 'test', '[',
      'sleep', 'seq', 'tr', 'cut', 'nl', 'rev', 'tac', 'fold', 'comm', 'cmp', 'diff', 'printenv', 'md5sum', 'sha1sum',
      'sha256sum', 'sha512sum', 'cksum', 'base64', 'od', 'paste', 'join', 'column', 'expand', 'jq', 'exit', 'return',
      'shift', 'wait', 'cd',
    ].map((n): [string, Shape] => [n, ANY]),
  ),
  // printf -v and read assign variables, and PATH or IFS would change every later command.
  printf: (args) => !args.some((a) => a.value.startsWith('-v')),
  read: (args) => allFixed(args) && args.every((a) => !/^[A-Za-z_]\w*$/.test(a.value) || isSafeVariable(a.value)),
  export: (args) => allFixed(args) && args.every((a) => isSafeVariable(a.value.split('=')[0] ?? '')),
  set: (args) => allFixed(args) && args.every((a) => /^[-+][eux]+$|^[-+]o$|^(pipefail|errexit|nounset|xtrace)$/.test(a.value)),
  command: (args) => allFixed(args) && /^-[vV]$/.test(args[0]?.value ?? ''),
  date: (args) => allFixed(args) && !hasOption(args, 's', ['--set']),
  env: NONE,
  hostname: NONE,
  mkdir: insideWorkspace,
  touch: insideWorkspace,
  sort: (args) => allFixed(args) && !hasOption(args, 'o', ['--output', '--compress-program']),
  uniq: (args) => allFixed(args) && operandsOf(args).length <= 1,
  xxd: (args) => allFixed(args) && !hasOption(args, 'r', ['--revert']) && operandsOf(args).length <= 1,
  sed,
  awk,
  gawk: awk,
  mawk: awk,
  nawk: awk,
  find,
  git,
  npm,
  make,
  tar,
  node: script(null, null),
  nodejs: script(null, null),
  python: script(null, null),
  python3: script(null, null),
  // The code given to -c is judged like the command line. sh is often dash, whose grammar differs from bash's
  // only in syntax the judge already refuses to allow ([[ ]], &>, $'…', arrays, brace expansion …).
  bash: script(/^-[eux]+$/, '-c'),
  sh: script(/^-[eux]+$/, '-c'),
}

/** Whether the command (its program as typed, its argv) is on the allowlist with a known-safe shape. */
export function isKnownSafe(argv: Arg[], ctx: CommandContext): boolean {
  const head = argv[0]
  if (!fixed(head)) return false
  // A path can name any program: only the system's own bin folders keep a name's meaning.
  if (head.value.includes('/') && !/^\/(usr\/)?(local\/)?s?bin\/[^/]+$/.test(head.value)) return false
  const shape = SHAPES[basename(head.value)]
  return !!shape && Object.hasOwn(SHAPES, basename(head.value)) && shape(argv.slice(1), ctx)
}
