import type { PolicyConfig } from '../../../shared/policy'
import type { Arg, CommandContext } from './command-words'
import type { Finding } from './verdict'

/** What a command does with data flowing through a pipeline, so `curl … | sh` can be caught across stages. */
export interface Traits {
  /** Name of the tool when the command downloads (its output is remote content). */
  fetches?: string
  /** Name of the interpreter when the command runs whatever arrives on stdin. */
  runsStdin?: string
}

export interface RuleContext {
  cfg: PolicyConfig
  ctx: CommandContext
  /** The command as typed (backticked, shortened), for reasons. */
  shown: string
  /** The same without backticks, to embed in a longer excerpt. */
  text: string
  /** A finding about this very command; `commands.allow` patterns may lift its approvals. */
  own(finding: Finding): void
  /** Judges a command this one starts (sudo, env, xargs, find -exec …). */
  run(argv: Arg[]): Traits
  /** Judges code handed over as a string (sh -c, eval, su -c, trap, alias). */
  runCode(code: Arg | undefined, via: string): void
  /** Judges inline interpreter code (python -c, node -e), which is never parsed. */
  inlineCode(code: Arg | undefined, via: string): void
  /** Judges a script operand given to a shell or interpreter (a file, `<(…)`, or a run-time path). */
  runFile(file: Arg, runner: string): void
  /** Judges a path the command writes to. */
  writes(target: Arg, shown: string): void
}

export type Rule = (name: string, argv: Arg[], rc: RuleContext) => Traits | void
