// Commands that run other code: wrappers, shells, interpreters, eval/source, find -exec, xargs, awk.
// Each one hands the code it runs back to the judge, so `sudo env nice sh -c 'rm -rf /'` is judged as `rm -rf /`.
import { catastrophicTarget, dynamicArg, literalArg } from './command-words'
import type { Arg } from './command-words'
import type { Rule, Traits } from './rule-context'
import { approval, deny } from './verdict'

/** Index of the wrapped command after the wrapper's own options. */
function skipOptions(argv: Arg[], from: number, withArg: readonly string[]): number {
  let i = from
  for (let a = argv[i]; a?.literal; a = argv[i]) {
    if (a.value === '--') return i + 1
    if (!a.value.startsWith('-') || a.value === '-') return i
    i += withArg.includes(a.value) ? 2 : 1
  }
  return i
}

interface WrapperSpec {
  withArg: string[]
  /** Operands between the options and the wrapped command (timeout's duration, chroot's root). */
  operands?: number
  root?: boolean
}

const WRAPPERS: Record<string, WrapperSpec> = {
  nohup: { withArg: [] },
  nice: { withArg: ['-n', '--adjustment'] },
  ionice: { withArg: ['-c', '-n', '-p', '-P', '-u', '--class', '--classdata'] },
  stdbuf: { withArg: ['-i', '-o', '-e', '--input', '--output', '--error'] },
  setsid: { withArg: [] },
  timeout: { withArg: ['-s', '-k', '--signal', '--kill-after'], operands: 1 },
  command: { withArg: [] },
  builtin: { withArg: [] },
  exec: { withArg: ['-a'] },
  time: { withArg: ['-f', '-o', '--format', '--output'] },
  chroot: { withArg: ['--userspec', '--groups'], operands: 1 },
  unbuffer: { withArg: [] },
  busybox: { withArg: [] },
  flock: { withArg: ['-w', '-E', '--timeout', '--conflict-exit-code'], operands: 1 },
  sudo: {
    withArg: [
      '-u',
      '-g',
      '-C',
      '-D',
      '-h',
      '-p',
      '-r',
      '-t',
      '-U',
      '-T',
      '-R',
      '--user',
      '--group',
      '--chdir',
      '--host',
      '--prompt',
      '--role',
      '--type',
      '--other-user',
      '--close-from',
      '--chroot',
      '--command-timeout',
    ],
    root: true,
  },
  doas: { withArg: ['-u', '-C'], root: true },
}

const wrapper =
  (spec: WrapperSpec): Rule =>
  (name, argv, rc) => {
    if (spec.root) rc.own(approval('high', `\`${name}\` runs a command as root`))
    if (name === 'command' && argv.some((a) => a.value === '-v' || a.value === '-V')) return
    const i = skipOptions(argv, 1, spec.withArg) + (spec.operands ?? 0)
    const next = argv[i]
    if (name === 'flock' && next && (next.value === '-c' || next.value === '--command')) {
      rc.runCode(argv[i + 1], 'flock -c')
      return
    }
    return argv.length > i ? rc.run(argv.slice(i)) : undefined
  }

const env: Rule = (_name, argv, rc) => {
  let i = 1
  for (let a = argv[i]; a; a = argv[i]) {
    const v = a.value
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(v) || v === '-' || v === '--') i++
    else if (!a.literal) break
    else if (v === '-S' || v === '--split-string') return rc.runCode(argv[i + 1], 'env -S')
    else if (v.startsWith('--split-string=') || /^-S./.test(v))
      return rc.runCode(literalArg(v.replace(/^(--split-string=|-S)/, '')), 'env -S')
    else if (['-u', '--unset', '-C', '--chdir'].includes(v)) i += 2
    else if (v.startsWith('-')) i++
    else break
  }
  return argv.length > i ? rc.run(argv.slice(i)) : undefined
}

const su: Rule = (_name, argv, rc) => {
  rc.own(approval('high', '`su` switches to another user (root by default)'))
  argv.forEach((a, i) => {
    if (a.value === '-c' || a.value === '--command' || a.value === '--session-command') rc.runCode(argv[i + 1], 'su -c')
    else if (a.value.startsWith('--command=')) rc.runCode(literalArg(a.value.slice('--command='.length)), 'su -c')
  })
}

export const SHELLS = new Set([
  'sh',
  'bash',
  'zsh',
  'dash',
  'ksh',
  'mksh',
  'ash',
  'fish',
  'csh',
  'tcsh',
  'yash',
  'posh',
])

const shell: Rule = (name, argv, rc) => {
  let i = 1
  let code = false
  let stdin = false
  for (let a = argv[i]; a?.literal; a = argv[++i]) {
    const v = a.value
    if (v === '-' || v === '--') {
      stdin ||= v === '-'
      i++
      break
    }
    if (v === '--rcfile' || v === '--init-file') i++
    if (v.startsWith('--')) continue
    if (!/^[-+][A-Za-z]+$/.test(v)) break
    if (v.startsWith('-') && v.includes('c')) code = true
    if (v.startsWith('-') && v.includes('s')) stdin = true
    if (/[oO]/.test(v)) i++
  }
  const operand = argv[i]
  if (code) return rc.runCode(operand, `${name} -c`)
  if (operand && !stdin) return rc.runFile(operand, name)
  return { runsStdin: name }
}

interface InterpreterSpec {
  /** Short flags that take inline code (`-c`, `-e`), also inside clusters like `-pe`. */
  inline: string
  long: string[]
  withArg: string[]
}

const INTERPRETERS: Array<[RegExp, InterpreterSpec]> = [
  [/^(python|pypy)[0-9.]*$/, { inline: 'c', long: [], withArg: ['-W', '-X', '-Q'] }],
  [
    /^(node|nodejs)$/,
    {
      inline: 'ep',
      long: ['--eval', '--print'],
      withArg: ['-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions', '--env-file'],
    },
  ],
  [/^perl[0-9.]*$/, { inline: 'eE', long: [], withArg: ['-I', '-M', '-m'] }],
  [/^ruby[0-9.]*$/, { inline: 'e', long: [], withArg: ['-I', '-r', '-C'] }],
  [/^php[0-9.]*$/, { inline: 'r', long: ['--run'], withArg: ['-c', '-d', '-z'] }],
  [/^(lua|luajit)[0-9.]*$/, { inline: 'e', long: [], withArg: ['-l'] }],
  [/^(Rscript|osascript)$/, { inline: 'e', long: [], withArg: [] }],
  [
    /^(pwsh|powershell)$/,
    { inline: '', long: ['-c', '-command', '-Command', '-encodedcommand', '-EncodedCommand'], withArg: [] },
  ],
]

export function interpreterRule(name: string): Rule | undefined {
  const spec = INTERPRETERS.find(([re]) => re.test(name))?.[1]
  if (!spec) return undefined
  const python = /^(python|pypy)/.test(name)
  return (_name, argv, rc): Traits | void => {
    for (let i = 1; i < argv.length; i++) {
      const a = argv[i]
      if (!a) break
      const v = a.value
      if (!a.literal || !v.startsWith('-')) return rc.runFile(a, name)
      if (v === '-') return { runsStdin: name }
      const [key = '', attached] = v.split(/=(.*)/s)
      if (spec.long.includes(key))
        return rc.inlineCode(attached !== undefined ? literalArg(attached) : argv[i + 1], `${name} ${key}`)
      if (python && v === '-m') return rc.run(argv.slice(i + 1))
      if (python && /^-m./.test(v)) return rc.run([literalArg(v.slice(2)), ...argv.slice(i + 1)])
      if (spec.withArg.includes(v)) {
        i++
        continue
      }
      if (v.startsWith('--')) continue
      const flags = v.slice(1)
      const k = [...flags].findIndex((ch) => spec.inline.includes(ch))
      if (k >= 0 && /^[A-Za-z]+$/.test(flags.slice(0, k + 1))) {
        const rest = flags.slice(k + 1)
        return rc.inlineCode(rest ? literalArg(rest) : argv[i + 1], `${name} -${flags[k]}`)
      }
    }
    return { runsStdin: name }
  }
}

const awk: Rule = (name, argv, rc) => {
  let program: Arg | undefined
  for (let i = 1; i < argv.length && !program; i++) {
    const a = argv[i]
    if (!a) break
    const v = a.value
    if (a.literal && (v === '-f' || v.startsWith('--file'))) return
    if (a.literal && ['-F', '-v', '-i', '--include', '--assign', '--field-separator'].includes(v)) i++
    else if (!a.literal || v === '--' || !v.startsWith('-')) program = v === '--' ? argv[i + 1] : a
  }
  if (!program) return
  if (!program.literal) {
    rc.own(approval('high', `the \`${name}\` program is built at run time, so it cannot be judged`))
    return
  }
  const code = program.value.replace(/"(?:\\.|[^"\\])*"/g, '""').replace(/\/(?:\\.|[^/\\\n])+\//g, '//')
  if (/\bsystem\s*\(/.test(code) || /(^|[^|])\|(?!\|)/.test(code)) {
    rc.own(
      approval('medium', `the \`${name}\` program runs shell commands (system() or a pipe), which cannot be judged`),
    )
  }
}

const find: Rule = (_name, argv, rc) => {
  const paths: Arg[] = []
  let i = 1
  while (argv[i] && ['-H', '-L', '-P'].includes(argv[i]?.value ?? '')) i++
  for (let a = argv[i]; a && !/^[-(!]/.test(a.value); a = argv[++i]) paths.push(a)
  let deletes = false
  for (; i < argv.length; i++) {
    const v = argv[i]?.value ?? ''
    if (v === '-delete') deletes = true
    if (!['-exec', '-execdir', '-ok', '-okdir'].includes(v)) continue
    const inner: Arg[] = []
    for (i++; i < argv.length && argv[i]?.value !== ';' && argv[i]?.value !== '+'; i++) {
      const a = argv[i]
      if (a) inner.push(a.value.includes('{}') ? dynamicArg(a.value) : a)
    }
    if (inner.length > 0) rc.run(inner)
  }
  if (!deletes) return
  const wrecked = paths.map((p) => catastrophicTarget(p.value)).find(Boolean)
  rc.own(
    wrecked
      ? deny('critical', `${rc.shown} deletes ${wrecked}`)
      : approval('medium', '`find -delete` deletes every file it matches'),
  )
}

const XARGS_WITH_ARG = [
  '-I',
  '-L',
  '-n',
  '-P',
  '-s',
  '-d',
  '-E',
  '-a',
  '--max-args',
  '--max-procs',
  '--max-lines',
  '--delimiter',
  '--eof',
  '--arg-file',
  '--max-chars',
]

/** Input lines become arguments (or replace `-I` tokens), so those arguments are unknown until run time. */
const xargs: Rule = (_name, argv, rc) => {
  let replace: string | null = null
  let i = 1
  for (let a = argv[i]; a?.literal && a.value.startsWith('-'); a = argv[i]) {
    const v = a.value
    if (v === '--') {
      i++
      break
    }
    if (v === '-I') replace = argv[i + 1]?.value ?? '{}'
    else if (/^-I./.test(v)) replace = v.slice(2)
    else if (/^(-i|--replace)(=|$)/.test(v)) replace = v.replace(/^(-i|--replace=?)/, '') || '{}'
    i += XARGS_WITH_ARG.includes(v) ? 2 : 1
  }
  const inner = argv.slice(i)
  if (inner.length === 0) return
  const token = replace
  return rc.run(
    token ? inner.map((a) => (a.value.includes(token) ? dynamicArg(a.value) : a)) : [...inner, dynamicArg('<input>')],
  )
}

const evalRule: Rule = (_name, argv, rc) => {
  const rest = argv.slice(1)
  const dynamic = rest.find((a) => !a.literal)
  rc.runCode(dynamic ?? literalArg(rest.map((a) => a.value).join(' ')), 'eval')
}

const source: Rule = (name, argv, rc) => {
  const file = argv[1]
  if (file) rc.runFile(file, name)
}

const trap: Rule = (_name, argv, rc) => {
  const action = argv[1]
  if (action && !['-p', '-l', '-', '--'].includes(action.value)) rc.runCode(action, 'trap')
}

const alias: Rule = (_name, argv, rc) => {
  for (const a of argv.slice(1)) {
    const eq = a.value.indexOf('=')
    if (eq > 0) rc.runCode(a.literal ? literalArg(a.value.slice(eq + 1)) : a, 'alias')
  }
}

/** watch hands its arguments to `sh -c` joined by spaces. */
const watch: Rule = (_name, argv, rc) => {
  const rest = argv.slice(skipOptions(argv, 1, ['-n', '--interval', '-d', '--differences']))
  if (rest.length === 0) return
  rc.runCode(rest.find((a) => !a.literal) ?? literalArg(rest.map((a) => a.value).join(' ')), 'watch')
}

export const EXEC_RULES: Record<string, Rule> = {
  ...Object.fromEntries(Object.entries(WRAPPERS).map(([name, spec]) => [name, wrapper(spec)])),
  ...Object.fromEntries([...SHELLS].map((name) => [name, shell])),
  env,
  su,
  awk,
  gawk: awk,
  mawk: awk,
  nawk: awk,
  find,
  xargs,
  eval: evalRule,
  source,
  '.': source,
  trap,
  alias,
  watch,
}
