// CLI entry: every subcommand is registered here, loaded only when used.
import { main as run, registerCommand } from './cli'

export { registerCommand }

export async function main(argv: string[]): Promise<number> {
  return run(argv)
}
