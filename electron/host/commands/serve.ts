import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createCore } from '../../core/core'
import { defaultWorkspaceDir } from '../../core/paths'
import { tokenProblem } from '../auth'
import { startHost } from '../server'

/** OPDESK_RENDERER_DIR lets a test run serve its own build while another rebuilds out/. */
export function defaultRendererDir(): string | undefined {
  if (process.env.OPDESK_RENDERER_DIR) return process.env.OPDESK_RENDERER_DIR
  const dir = fileURLToPath(new URL('../../../out/renderer/', import.meta.url))
  return existsSync(dir) ? dir : undefined
}

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
  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await host.close()
  await core.close()
  return 0
}
