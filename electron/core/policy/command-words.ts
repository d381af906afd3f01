// Facts about command words and paths that several command rules share.
import { posix } from 'node:path'
import { literalOf } from './shell-parser'
import type { Word } from './shell-parser'

/** One argv entry as the policy sees it: `literal` false means expansion decides its value at run time. */
export interface Arg {
  value: string
  literal: boolean
  word: Word | null
  /** Unquoted `*`, `?` or `[`: the shell may turn it into other words, options included (`-rf`, `--output=x`). */
  glob?: boolean
}

export interface CommandContext {
  /** Absolute workspace folder; absolute paths inside it count as inside the workspace. */
  workspaceDir?: string
  /** Directory the command will run in. */
  cwd?: string
}

export function argsOf(words: readonly Word[]): Arg[] {
  const out: Arg[] = []
  for (const word of words) {
    const value = literalOf(word, true)
    if (value === null) {
      out.push({ value: literalOf(word), literal: false, word })
      continue
    }
    const braces = word.parts.some((p) => p.kind === 'lit' && !p.quoted && p.text.includes('{'))
    const unquoted = word.parts.map((p) => (p.kind === 'lit' && !p.quoted ? p.text : '\0')).join('')
    const glob = /[*?]|\[.*\]/.test(unquoted)
    for (const v of braces ? expandBraces(value) : [value]) out.push({ value: v, literal: true, word, glob })
  }
  return out
}

export const dynamicArg = (value: string): Arg => ({ value, literal: false, word: null })
export const literalArg = (value: string): Arg => ({ value, literal: true, word: null })

/** Brace expansion runs before the command sees its words, so `rm -rf /{,}` must be judged as `rm -rf / /`. */
export function expandBraces(s: string, limit = 64): string[] {
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '{') continue
    let depth = 0
    let close = -1
    const commas: number[] = []
    for (let j = i; j < s.length && close < 0; j++) {
      if (s[j] === '{') depth++
      else if (s[j] === '}' && --depth === 0) close = j
      else if (s[j] === ',' && depth === 1) commas.push(j)
    }
    if (close < 0) return [s]
    const inner = s.slice(i + 1, close)
    let alternatives: string[] | null = null
    if (commas.length > 0) {
      const cuts = [i, ...commas, close]
      alternatives = cuts.slice(1).map((cut, k) => s.slice((cuts[k] ?? i) + 1, cut))
    } else {
      const range = /^(-?\d+)\.\.(-?\d+)$/.exec(inner)
      if (range) {
        const [a, b] = [Number(range[1]), Number(range[2])]
        const step = a <= b ? 1 : -1
        alternatives = []
        for (let n = a; alternatives.length < limit; n += step) {
          alternatives.push(String(n))
          if (n === b) break
        }
      }
    }
    if (!alternatives) continue
    const out: string[] = []
    for (const alt of alternatives) {
      for (const e of expandBraces(s.slice(0, i) + alt + s.slice(close + 1), limit)) {
        out.push(e)
        if (out.length >= limit) return out
      }
    }
    return out
  }
  return [s]
}

export const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1)

const HOME_RE = /^(~|\$HOME|\$\{HOME\})(\/.*)?$/
const SYSTEM_DIRS =
  'bin|boot|dev|etc|home|lib|lib32|lib64|libx32|opt|proc|root|run|sbin|srv|sys|usr|var|System|Library|Applications|Users|private'

/** Why deleting (or chmod -R-ing) this target wrecks the machine, or null when it is an ordinary path. */
export function catastrophicTarget(value: string): string | null {
  let v = value.replace(/\/{2,}/g, '/').replace(/\/\.(?=\/|$)/g, '')
  if (v === '' && value.startsWith('/')) v = '/'
  if (/^\/\**$/.test(v) || /^\/\.\.(\/\.\.)*\/?\**$/.test(v)) return 'the whole filesystem'
  const home = HOME_RE.exec(v)
  if (home && /^(\/\.?\*?)?\/?$/.test(home[2] ?? '')) return 'your home directory'
  const sys = new RegExp(`^/(${SYSTEM_DIRS})/?\\**$`).exec(v)
  if (sys) return `the system directory \`/${sys[1]}\``
  return null
}

const SAFE_DEVICES = /^\/dev\/(null|zero|stdout|stderr|stdin|tty|fd\/\d+|random|urandom)$|^\/proc\/self\/fd\/\d+$/
const DISK_DEVICES =
  /^\/dev\/(sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|disk\d|rdisk\d|md\d|dm-\d|mapper\/|loop\d|sr\d|mem$|kmem$|port$)/

export const isSafeDevice = (path: string): boolean => SAFE_DEVICES.test(path)
export const isDiskDevice = (path: string): boolean => DISK_DEVICES.test(path)

/** Paths that start outside the folder the command runs in: absolute, home-relative, or climbing out with `..`. */
export function isOutsideWorkspace(path: string, ctx: CommandContext): boolean {
  if (path.startsWith('~')) return true
  if (path.startsWith('/')) {
    const ws = ctx.workspaceDir ? posix.normalize(ctx.workspaceDir).replace(/\/$/, '') : null
    const p = posix.normalize(path)
    return !ws || !(p === ws || p.startsWith(ws + '/'))
  }
  const rel = posix.normalize(path)
  return rel === '..' || rel.startsWith('../')
}

// The workspace's own state: a command that writes here (or runs a script from here) could rewrite the policy,
// plant code that a later run or the browser picks up, or tamper with evidence.
const PROTECTED_DIRS = new Set(['flows', 'evidence', 'profiles', 'exports', '.git'])
const PROTECTED_FILES = /^(opdesk\.db.*|policy\.yaml.*|\.opdesk-key.*)$/

/** Why `path` (as the command sees it, relative to its cwd) is the workspace's own data, or null. */
export function protectedWorkspacePath(path: string, ctx: CommandContext): string | null {
  const base = ctx.cwd ?? ctx.workspaceDir ?? '/workspace'
  const root = ctx.workspaceDir ?? base
  const abs = posix.resolve(base, path)
  const rel = posix.relative(posix.resolve(root), abs)
  if (rel.startsWith('..') || posix.isAbsolute(rel)) return null
  const first = rel.split('/')[0] ?? ''
  if (PROTECTED_DIRS.has(first)) return `the workspace's \`${first}/\``
  if (!rel.includes('/') && PROTECTED_FILES.test(first)) return `the workspace's \`${first}\``
  // A run's cwd is under work/ and the sandbox lets it write only there: a path that leaves the cwd for the
  // workspace's own folder is not a command's business, whatever its name.
  const cwdInWork = posix.relative(posix.resolve(root), posix.resolve(base)).split('/')[0] === 'work'
  const fromCwd = posix.relative(posix.resolve(base), abs)
  if (cwdInWork && (fromCwd.startsWith('..') || posix.isAbsolute(fromCwd)) && first !== 'work')
    return `the workspace's own folder (\`${rel}\`), outside work/`
  return null
}

export const isSystemPath = (path: string): boolean => new RegExp(`^/(${SYSTEM_DIRS})(/|$)`).test(path)

const CREDENTIALS: Array<[RegExp, string]> = [
  [/(^|\/)\.ssh(\/|$)/, 'SSH keys and config'],
  [/(^|\/)id_(rsa|dsa|ecdsa|ed25519)(_sk)?$/, 'an SSH private key'],
  [/(^|\/)\.aws\/(credentials|config)$/, 'AWS credentials'],
  [/(^|\/)[._]netrc$/, 'login passwords'],
  [/(^|\/)\.git-credentials$/, 'git credentials'],
  [/(^|\/)\.pgpass$/, 'database passwords'],
  [/(^|\/)\.docker\/config\.json$/, 'registry credentials'],
  [/(^|\/)\.kube\/config$/, 'cluster credentials'],
  [/(^|\/)\.gnupg(\/|$)/, 'GPG keys'],
  [/^\/etc\/(g?shadow|master\.passwd|sudoers)$/, 'system password hashes'],
  // Opdesk's own: the database holds the sealed secrets, the key (legacy in the workspace, now in the
  // user's config folder) opens them.
  [/(^|\/)opdesk\.db(-wal|-shm|-journal)?$/, "Opdesk's database (sealed secrets)"],
  [/(^|\/)\.opdesk-key$/, "Opdesk's secrets key"],
  [/(^|\/)opdesk\/keys(\/|$)/i, "Opdesk's secrets keys"],
  [/(^|\/)\.env(\.(?!(example|sample|template|dist|defaults)$)[\w.-]+)?$/, 'environment secrets'],
]

/** What a credential path holds, or null. Checks `--opt=path` and `file://` forms too. */
export function credentialKind(value: string): string | null {
  const candidates = [value, value.slice(value.indexOf('=') + 1), value.replace(/^file:\/\//, '')]
  for (const candidate of candidates) {
    const path = candidate.replace(/\/+$/, '')
    for (const [re, kind] of CREDENTIALS) if (re.test(path)) return kind
  }
  return null
}

/** Workspace patterns: whitespace-separated words matched as a prefix of argv, `*`/`?` globs per word. */
export function matchesPattern(pattern: string, argv: readonly string[]): boolean {
  const words = pattern.trim().split(/\s+/)
  if (words.length > argv.length) return false
  return words.every((w, i) => {
    const arg = argv[i] ?? ''
    const re = new RegExp(
      '^' +
        w
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.') +
        '$',
    )
    return re.test(arg) || (i === 0 && re.test(basename(arg)))
  })
}
