import { setTimeout as sleep } from 'node:timers/promises'
import { TERMINAL_RUN_STATUSES } from '../../../shared/domain'
import { verifyRecord } from '../../core/integrity'
import { formatEvent, openCore, pad, parseArgs, workspaceArg } from './shared'

export async function runsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { workspace: { type: 'string' }, json: { type: 'boolean' }, status: { type: 'string' }, limit: { type: 'string' } },
  })
  const core = await openCore(workspaceArg(values), { passive: true, quiet: true })
  try {
    const page = await core.router.call('listRuns', { query: { status: values.status, limit: values.limit ?? '50' } })
    if (values.json) {
      process.stdout.write(JSON.stringify(page, null, 2) + '\n')
      return 0
    }
    if (page.items.length === 0) {
      process.stdout.write('No runs yet. Start one with: opdesk run FLOW.yaml\n')
      return 0
    }
    process.stdout.write(`${pad('RUN', 30)}${pad('STATUS', 18)}${pad('KIND', 9)}${pad('CREATED', 22)}WHAT\n`)
    for (const r of page.items) {
      process.stdout.write(
        `${pad(r.id, 30)}${pad(r.status, 18)}${pad(r.kind, 9)}${pad(r.createdAt.replace('T', ' ').slice(0, 19), 22)}${r.flowName ?? r.command ?? ''}\n`,
      )
    }
    if (page.total > page.items.length) process.stdout.write(`… ${page.total - page.items.length} more (--limit)\n`)
    return 0
  } finally {
    await core.close()
  }
}

export async function eventsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { workspace: { type: 'string' }, json: { type: 'boolean' }, follow: { type: 'boolean', short: 'f' } },
  })
  const runId = positionals[0]
  if (!runId) {
    process.stderr.write('usage: opdesk events RUN [--follow] [--json]\n')
    return 2
  }
  const core = await openCore(workspaceArg(values), { passive: true, quiet: true })
  try {
    const run = core.runs.events
    if (!(await core.router.handle({ method: 'GET', path: `/api/runs/${runId}` })).status.toString().startsWith('2')) {
      process.stderr.write(`opdesk events: run ${runId} does not exist\n`)
      return 2
    }
    let after = 0
    let stop = false
    process.once('SIGINT', () => (stop = true))
    for (;;) {
      const page = run.list(runId, after, 1000)
      for (const e of page) process.stdout.write((values.json ? JSON.stringify(e) : formatEvent(e)) + '\n')
      after = page.at(-1)?.seq ?? after
      if (page.length === 1000) continue
      if (!values.follow || stop) break
      // Another process writes the log; poll the file (WAL readers see each commit).
      const status = core.runs.mustRun(runId).status
      if (TERMINAL_RUN_STATUSES.includes(status) && run.lastSeq(runId) === after) break
      await sleep(250)
    }
    return 0
  } finally {
    await core.close()
  }
}

export async function verifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { workspace: { type: 'string' }, json: { type: 'boolean' } },
  })
  const core = await openCore(workspaceArg(values), { passive: true, quiet: true })
  try {
    // Evidence is part of the record: each file is hashed again against what was recorded.
    const { artifacts, ...result } = await verifyRecord(core.ws, positionals[0])
    const ok = result.broken.length === 0 && artifacts.problems.length === 0
    if (values.json) process.stdout.write(JSON.stringify({ ...result, artifacts }, null, 2) + '\n')
    else if (ok) {
      process.stdout.write(
        `OK: ${result.runs} run(s), ${result.events} event(s), every hash chain intact; ${artifacts.checked} artifact(s) match their hashes\n`,
      )
    } else {
      for (const b of result.broken) process.stdout.write(`BROKEN run ${b.runId} at event ${b.seq}: ${b.problem}\n`)
      for (const p of artifacts.problems) process.stdout.write(`BROKEN artifact ${p.artifactId} of run ${p.runId}: ${p.problem}\n`)
      if (result.broken.length) process.stdout.write(`${result.broken.length} of ${result.runs} run(s) have a broken chain\n`)
      if (artifacts.problems.length) process.stdout.write(`${artifacts.problems.length} of ${artifacts.checked} artifact(s) are changed or missing\n`)
    }
    return ok ? 0 : 1
  } finally {
    await core.close()
  }
}
