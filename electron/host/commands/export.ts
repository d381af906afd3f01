import { resolve } from 'node:path'
import { writeReport } from '../../core/reports/export'
import { openCore, parseArgs, workspaceArg } from './shared'

export async function exportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { workspace: { type: 'string' }, out: { type: 'string', short: 'o' } },
  })
  const runId = positionals[0]
  if (!runId || !values.out) {
    process.stderr.write('usage: opdesk export RUN --out FILE.zip [--workspace DIR]\n')
    return 2
  }
  const core = await openCore(workspaceArg(values), { passive: true, quiet: true })
  try {
    if ((await core.router.handle({ method: 'GET', path: `/api/runs/${runId}` })).status !== 200) {
      process.stderr.write(`opdesk export: run ${runId} does not exist\n`)
      return 2
    }
    const out = writeReport(core.ws.store, core.ws.dir, runId, resolve(values.out))
    process.stdout.write(`Wrote ${out.path} (${out.bytes} bytes)\n`)
    return 0
  } finally {
    await core.close()
  }
}
