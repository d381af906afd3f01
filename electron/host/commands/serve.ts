import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createCore } from '../../core/core'
import { defaultWorkspaceDir } from '../../core/paths'
import { tokenProblem } from '../auth'
import { startHost } from '../server'

/** OPDESK_RENDERER_DIR lets a test run serve its own build while another rebuilds out/. */
export function defaultRendererDir(): string | undefined {
  if (process.env.OPDESK_RENDERER_DIR) return process.env.OPDESK_RENDERER_DIR
  // From the source (tests) and from the built CLI in out/cli respectively.
  const candidates = [new URL('../../../out/renderer/', import.meta.url), new URL('../renderer/', import.meta.url)]
  return candidates.map((u) => fileURLToPath(u)).find((dir) => existsSync(join(dir, 'index.html')))
}

/**
 * Shutdown budget (DESIGN.md asks for an exit within 10 s): running runs get RUN_GRACE_MS to
 * finish, then are canceled; a canceled command gets SIGTERM and, 3 s later, SIGKILL for its
 * whole process group, so CANCEL_WAIT_MS covers that with room to close the database.
 */
const RUN_GRACE_MS = 3_000
const CANCEL_WAIT_MS = 4_500
const EXIT_WITHIN_MS = 9_500

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      workspace: { type: 'string' },
      port: { type: 'string' },
      token: { type: 'string' },
      demo: { type: 'boolean', default: false },
    },
    strict: true,
  })
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`opdesk serve: --port must be a number from 0 to 65535, not "${values.port}"\n`)
    return 2
  }
  const token = values.token ?? process.env.OPDESK_TOKEN
  const weak = token === undefined ? null : tokenProblem(token)
  if (weak) {
    process.stderr.write(`opdesk serve: --token (or OPDESK_TOKEN) is too short: ${weak}\n`)
    return 2
  }
  const demo = values.demo ?? false
  const core = await createCore({ workspaceDir: values.workspace ?? defaultWorkspaceDir(demo), demo })
  const rendererDir = defaultRendererDir()
  const host = await startHost({ core, port, token, rendererDir })
  if (!rendererDir) process.stderr.write('opdesk serve: the UI is not built (run `npm run build`); serving the API only\n')
  process.stdout.write(`Opdesk listening on ${host.url}\n`)
  process.stdout.write(`Workspace: ${core.ws.dir}\n`)
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    let seen = false
    const stop = (sig: NodeJS.Signals) => {
      if (seen) return void process.stderr.write(`opdesk serve: ${sig} again; still stopping (at most ${EXIT_WITHIN_MS / 1000} s)\n`)
      seen = true
      resolve(sig)
    }
    // Kept installed: a second Ctrl-C must not kill the process halfway through closing the database.
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
  // Whatever hangs (a browser that will not close), the process is gone within 10 s.
  setTimeout(() => {
    process.stderr.write('opdesk serve: could not stop cleanly in time; exiting\n')
    process.exit(1)
  }, EXIT_WITHIN_MS).unref()
  process.stdout.write(`${signal}: stopping; queued runs stay queued for the next start\n`)
  await host.close()
  await core.runs.shutdown({ graceMs: RUN_GRACE_MS, waitMs: CANCEL_WAIT_MS })
  await core.close()
  return 0
}
