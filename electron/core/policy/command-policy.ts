// judgeCommand: parses the whole command line and judges every command that would run, including the ones
// hidden in substitutions, subshells, functions, heredocs fed to shells, and code handed to sh -c or eval.
import type { PolicyResult } from '../../../shared/domain'
import { DEFAULT_POLICY } from '../../../shared/policy'
import type { PolicyConfig } from '../../../shared/policy'
import { ruleFor } from './command-rules'
import {
  argsOf,
  basename,
  credentialKind,
  isDiskDevice,
  isOutsideWorkspace,
  isSafeDevice,
  isSystemPath,
  matchesPattern,
  protectedWorkspacePath,
} from './command-words'
import type { Arg, CommandContext } from './command-words'
import type { RuleContext, Traits } from './rule-context'
import { isKnownSafe } from './safe-commands'
import { literalOf, parseShell, ShellParseError } from './shell-parser'
import type { AndOr, Command, Redirect, Script, Word } from './shell-parser'
import { unmodelledAssignment, unmodelledCommand, unmodelledRedirect, unmodelledWord } from './syntax-rules'
import { approval, combine, deny, quote } from './verdict'
import type { Finding } from './verdict'

export type { CommandContext }

const MAX_DEPTH = 8
const MAX_LENGTH = 20_000
const STDIN_OPS = new Set(['<', '<<', '<<-', '<<<'])
const WRITE_OPS = new Set(['>', '>>', '>|', '&>', '&>>', '<>'])

/**
 * Judges a shell command line. Anything that cannot be judged (a parse error, a command name or code
 * decided at run time, inline interpreter code) requires approval; nothing unknown is ever allowed.
 */
export function judgeCommand(
  commandLine: string,
  cfg: PolicyConfig = DEFAULT_POLICY,
  context: CommandContext = {},
): PolicyResult {
  const judge = new CommandJudge(cfg, context)
  if (commandLine.length > MAX_LENGTH) {
    judge.findings.push(
      approval('medium', `the command line is longer than ${MAX_LENGTH} characters, too long to judge`),
    )
  } else {
    // bash reads a carriage return or other control character as part of a word; editors and logs do not.
    if ([...commandLine].some((c) => c !== '\t' && c !== '\n' && (c < ' ' || c === '\x7f')))
      judge.findings.push(approval('medium', 'the command line holds control characters, which hide what runs'))
    judge.judgeText(commandLine, null)
  }
  judge.checkWorkingDirectory()
  return combine(judge.findings, 'No risky command found')
}

const merge = (into: Traits, from: Traits): Traits => {
  into.fetches ??= from.fetches
  into.runsStdin ??= from.runsStdin
  return into
}

const codeArg = (word: Word): Arg => {
  const value = literalOf(word, true)
  return { value: value ?? literalOf(word), literal: value !== null, word }
}

/** Shows argv as typed, once per source word even when brace expansion made several arguments of it. */
const display = (argv: Arg[]): string =>
  quote(
    argv
      .filter((a, i) => !a.word || a.word !== argv[i - 1]?.word)
      .map((a) => a.word?.raw ?? a.value)
      .join(' '),
  )

function* andOrs(node: Script | Command): Generator<AndOr> {
  if ('items' in node) {
    for (const item of node.items) {
      yield item
      for (const p of item.pipelines) for (const c of p.commands) yield* andOrs(c)
    }
  } else if (node.type === 'subshell' || node.type === 'group') {
    yield* andOrs(node.body)
  } else if (node.type === 'function') {
    yield* andOrs(node.body)
  } else if (node.type === 'compound') {
    for (const body of node.bodies) yield* andOrs(body)
  }
}

class CommandJudge {
  readonly findings: Finding[] = []
  private depth = 0
  private readonly substTraits = new Map<Script, Traits>()

  constructor(
    private readonly cfg: PolicyConfig,
    private readonly ctx: CommandContext,
  ) {}

  judgeText(text: string, via: string | null): void {
    if (this.depth >= MAX_DEPTH) {
      this.findings.push(approval('high', `commands are nested more than ${MAX_DEPTH} levels deep, too deep to judge`))
      return
    }
    let script: Script
    try {
      script = parseShell(text)
    } catch (e) {
      if (!(e instanceof ShellParseError)) throw e
      const what = via ? `the code given to \`${via}\`` : 'the command line'
      this.findings.push(approval('medium', `${what} cannot be parsed (${e.message}), so it cannot be judged`))
      return
    }
    this.depth++
    try {
      this.script(script)
    } finally {
      this.depth--
    }
  }

  checkWorkingDirectory(): void {
    const { cwd, workspaceDir } = this.ctx
    if (this.cfg.commands.cwdOutsideWorkspace || !cwd || !workspaceDir) return
    if (isOutsideWorkspace(cwd, { workspaceDir })) {
      this.findings.push(approval('medium', `the command runs in \`${cwd}\`, outside the workspace`))
    }
  }

  /** A function that starts copies of itself in a pipeline or in the background is a fork bomb. */
  private checkRecursion(name: string, body: Command): void {
    let recursive = false
    let spawning = false
    for (const item of andOrs(body)) {
      for (const p of item.pipelines) {
        for (const c of p.commands) {
          const head = c.type === 'simple' ? c.words[0] : undefined
          if (!head || literalOf(head, true) !== name) continue
          recursive = true
          spawning ||= p.commands.length > 1 || item.background
        }
      }
    }
    if (spawning) {
      this.findings.push(
        deny(
          'critical',
          `\`${name}\` is a fork bomb: it keeps starting copies of itself until the machine runs out of processes`,
        ),
      )
    } else if (recursive) {
      this.findings.push(approval('medium', `\`${name}\` calls itself recursively`))
    }
  }

  private script(script: Script): Traits {
    const traits: Traits = {}
    for (const item of script.items) for (const p of item.pipelines) merge(traits, this.pipeline(p.commands))
    return traits
  }

  private pipeline(commands: Command[]): Traits {
    const stages = commands.map((c) => this.command(c))
    stages.forEach((stage, i) => {
      if (i === 0 || !stage.runsStdin) return
      const source = stages.slice(0, i).find((s) => s.fetches)?.fetches
      this.findings.push(
        source
          ? deny('critical', `\`${source}\` output piped into \`${stage.runsStdin}\` runs downloaded code`)
          : approval('medium', `\`${stage.runsStdin}\` runs commands read from a pipe, which cannot be judged`),
      )
    })
    // Downloaded data stays downloaded through filters; only the first stage reads the pipeline's stdin.
    return { fetches: stages.find((s) => s.fetches)?.fetches, runsStdin: stages[0]?.runsStdin }
  }

  /** Syntax the judge reads but does not model closely enough to allow. */
  private unmodelled(why: string | null): void {
    if (why) this.findings.push(approval('medium', `${why} is shell syntax the policy does not model`))
  }

  private command(c: Command): Traits {
    this.unmodelled(unmodelledCommand(c))
    switch (c.type) {
      case 'simple':
        return this.simple(c.assigns, c.words, c.redirects)
      case 'subshell':
      case 'group':
        this.redirects(c.redirects)
        return this.script(c.body)
      case 'function':
        this.checkRecursion(c.name, c.body)
        this.command(c.body)
        return {}
      case 'compound':
        this.words(c.words)
        for (const body of c.bodies) this.script(body)
        this.redirects(c.redirects)
        return {}
    }
  }

  private words(words: readonly Word[]): void {
    for (const word of words) {
      this.unmodelled(unmodelledWord(word))
      for (const part of word.parts) {
        if (part.kind === 'cmdsubst' || part.kind === 'procsubst')
          this.substTraits.set(part.script, this.script(part.script))
      }
    }
  }

  private simple(assigns: Word[], words: Word[], redirects: Redirect[]): Traits {
    for (const a of assigns) this.unmodelled(unmodelledAssignment(a))
    this.words([...assigns, ...words])
    this.redirects(redirects)
    const argv = argsOf(words)
    if (argv.length === 0) return {}
    this.credentials(argv)
    const traits = this.run(argv)
    const stdin = [...redirects].reverse().find((r) => STDIN_OPS.has(r.op) && (r.fd === null || r.fd === '0'))
    if (!traits.runsStdin || !stdin) return traits
    const runner = traits.runsStdin
    const own: Finding[] = []
    const rc = this.ruleContext(own, display(argv))
    if (stdin.op === '<') rc.runFile(codeArg(stdin.target), runner)
    else rc.runCode(codeArg(stdin.op === '<<<' ? stdin.target : (stdin.heredoc ?? stdin.target)), `${runner} <<`)
    this.findings.push(...own)
    return { ...traits, runsStdin: undefined }
  }

  /** Not liftable by `commands.allow`: allowing `cat` must not allow `cat ~/.ssh/id_rsa`. */
  private credentials(argv: Arg[]): void {
    for (const a of argv.slice(1)) {
      const kind = a.literal ? credentialKind(a.value) : null
      if (!kind) continue
      this.findings.push(approval('high', `${display(argv)} reads a credential file (\`${a.value}\`: ${kind})`))
      return
    }
  }

  private redirects(redirects: readonly Redirect[]): void {
    for (const r of redirects) {
      this.unmodelled(unmodelledRedirect(r))
      // A heredoc delimiter is never expanded; its body is, unless the delimiter is quoted.
      const heredoc = r.op === '<<' || r.op === '<<-'
      this.words(heredoc ? (r.heredoc ? [r.heredoc] : []) : [r.target])
      const target = codeArg(r.target)
      const shown = `${r.fd ?? ''}${r.op} ${r.target.raw}`
      if (WRITE_OPS.has(r.op) || (r.op === '>&' && !/^(\d+-?|-)$/.test(target.value))) this.writes(target, shown)
      const kind = (r.op === '<' || r.op === '<>') && target.literal ? credentialKind(target.value) : null
      if (kind)
        this.findings.push(approval('high', `${quote(shown)} reads a credential file (\`${target.value}\`: ${kind})`))
    }
  }

  private writes(target: Arg, shown: string): void {
    const v = target.value
    if (!target.literal) this.findings.push(approval('medium', `${quote(shown)} writes to a path decided at run time`))
    else if (isSafeDevice(v)) return
    else if (isDiskDevice(v))
      this.findings.push(deny('critical', `${quote(shown)} overwrites the disk device \`${v}\``))
    else if (v.startsWith('/dev/'))
      this.findings.push(approval('high', `${quote(shown)} writes to the device \`${v}\``))
    else if (isOutsideWorkspace(v, this.ctx))
      this.findings.push(approval(isSystemPath(v) ? 'high' : 'medium', `${quote(shown)} writes outside the workspace`))
    else if (protectedWorkspacePath(v, this.ctx))
      this.findings.push(approval('high', `${quote(shown)} writes into ${protectedWorkspacePath(v, this.ctx)}`))
  }

  /** The tool whose download feeds this word through $( ), backticks or <( ), if any. */
  private fetchIn(arg: Arg): string | undefined {
    for (const part of arg.word?.parts ?? []) {
      if (part.kind !== 'cmdsubst' && part.kind !== 'procsubst') continue
      const fetches = this.substTraits.get(part.script)?.fetches
      if (fetches) return fetches
    }
    return undefined
  }

  private run(argv: Arg[]): Traits {
    const head = argv[0]
    if (!head) return {}
    const shown = display(argv)
    if (!head.literal) {
      const source = this.fetchIn(head)
      this.findings.push(
        source
          ? deny('critical', `${shown} runs \`${source}\` output as a command, which runs downloaded code`)
          : approval(
              'high',
              `\`${head.word?.raw ?? head.value}\` is a command name decided at run time, so it cannot be judged`,
            ),
      )
      return {}
    }
    const name = basename(head.value)
    const values = [name, ...argv.slice(1).map((a) => a.value)]
    const { extraDeny, extraApproval, allow } = this.cfg.commands
    for (const p of extraDeny.filter((p) => matchesPattern(p, values))) {
      this.findings.push(deny('high', `${shown} matches the workspace deny pattern \`${p}\``))
    }
    for (const p of extraApproval.filter((p) => matchesPattern(p, values))) {
      this.findings.push(approval('medium', `${shown} matches the workspace approval pattern \`${p}\``))
    }
    const own: Finding[] = []
    const traits = ruleFor(name)?.(name, argv, this.ruleContext(own, shown)) ?? {}
    // Fail closed: a rule's own finding explains itself; otherwise only allowlisted shapes pass.
    if (own.length === 0 && !isKnownSafe(argv, this.ctx))
      own.push(approval('medium', `${shown} is not a command and argument shape the policy knows to be safe`))
    const allowed = allow.some((p) => matchesPattern(p, values))
    this.findings.push(...own.filter((f) => !(allowed && f.verdict === 'requires-approval')))
    return traits
  }

  private ruleContext(own: Finding[], shown: string): RuleContext {
    const add = (f: Finding): void => void own.push(f)
    return {
      cfg: this.cfg,
      ctx: this.ctx,
      shown,
      text: shown.slice(1, -1),
      own: add,
      run: (argv) => this.run(argv),
      writes: (target, what) => this.writes(target, what),
      runCode: (code, via) => {
        if (!code) return
        if (code.literal) return this.judgeText(code.value, via)
        const source = this.fetchIn(code)
        add(
          source
            ? deny('critical', `\`${via}\` runs code downloaded by \`${source}\``)
            : approval('high', `the code given to \`${via}\` is built at run time, so it cannot be judged`),
        )
      },
      inlineCode: (code, via) => {
        if (!code) return
        const source = code.literal ? undefined : this.fetchIn(code)
        add(
          source
            ? deny('critical', `\`${via}\` runs code downloaded by \`${source}\``)
            : approval('medium', `\`${via}\` runs inline code, which cannot be judged`),
        )
      },
      runFile: (file, runner) => {
        const source = this.fetchIn(file)
        if (source) add(deny('critical', `\`${runner}\` runs code downloaded by \`${source}\``))
        else if (file.word?.parts.some((p) => p.kind === 'procsubst'))
          add(approval('medium', `\`${runner}\` runs the output of another command as code`))
        else if (!file.literal) add(approval('medium', `\`${runner}\` runs a script whose path is decided at run time`))
      },
    }
  }
}
