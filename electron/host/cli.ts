// The `opdesk` command. Each subcommand wires the core; none decides anything itself.
import { parseArgs } from 'node:util'
import { serveCommand } from './commands/serve'

export const USAGE = `Usage: opdesk <command> [options]

Commands:
  serve [--workspace DIR] [--port N] [--token T] [--demo]   serve the UI and API on 127.0.0.1
  run FLOW.yaml [--workspace DIR] [--param k=v] [--track ID] [--json]
  runs [--workspace DIR] [--json]                          list runs
  events RUN [--workspace DIR] [--follow] [--json]          print a run's event log
  verify [--workspace DIR]                                  check every run's hash chain and artifact hashes
  export RUN --out FILE [--workspace DIR]                   write a run report (zip)
  token add NAME [--role viewer|operator|approver|admin]    issue a named API token (printed once, stored hashed)
  token list [--json] | token revoke NAME                   list or revoke named tokens
`

export type CommandFn = (argv: string[]) => Promise<number>

const commands: Record<string, () => Promise<CommandFn>> = {
  serve: async () => serveCommand,
  run: async () => (await import('./commands/run')).runCommand,
  runs: async () => (await import('./commands/runs')).runsCommand,
  events: async () => (await import('./commands/runs')).eventsCommand,
  verify: async () => (await import('./commands/runs')).verifyCommand,
  export: async () => (await import('./commands/export')).exportCommand,
  token: async () => (await import('./commands/token')).tokenCommand,
}

/** Registers a subcommand lazily so `opdesk serve` does not load the browser engine. */
export function registerCommand(name: string, load: () => Promise<CommandFn>): void {
  commands[name] = load
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE)
    return name ? 0 : 2
  }
  const load = commands[name]
  if (!load) {
    process.stderr.write(`opdesk: unknown command "${name}"\n\n${USAGE}`)
    return 2
  }
  try {
    return await (await load())(rest)
  } catch (err) {
    if (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`opdesk ${name}: ${err.message}\n`)
      return 2
    }
    process.stderr.write(`opdesk ${name}: ${err instanceof Error ? err.message : String(err)}\n`)
    return 1
  }
}

export { parseArgs }
