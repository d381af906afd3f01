// A run report: one zip with report.html (self-contained), events.jsonl, the artifacts and
// the hash-chain verification, so the record can be handed to someone without Opdesk.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { basename, join, resolve, sep } from 'node:path'
import { zipSync, type Zippable } from 'fflate'
import type { Artifact, Run } from '../../../shared/domain'
import type { CoreContext } from '../context'
import { nowIso } from '../ids'
import type { Store } from '../store/db'
import { listApprovals } from '../store/alerts'
import { listArtifacts, recordArtifact } from '../store/artifacts'
import { EventLog, verifyChains } from '../store/events'
import { getRun } from '../store/runs'
import { renderReport } from './html'

const IMAGE_TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp' }
/** Screenshots above this are linked from the zip instead of inlined in the HTML. */
const INLINE_LIMIT = 4 * 1024 * 1024

export function buildReportZip(store: Store, workspaceRoot: string, runId: string): Uint8Array {
  const run = getRun(store, runId)
  if (!run) throw new Error(`Run ${runId} does not exist`)
  const log = new EventLog(store)
  const events = []
  for (let after = 0; ; ) {
    const page = log.list(runId, after, 5000)
    events.push(...page)
    if (page.length < 5000) break
    after = page.at(-1)!.seq
  }
  const artifacts = listArtifacts(store, runId).filter((a) => a.kind !== 'report')
  const approvals = listApprovals(store).filter((a) => a.runId === runId)
  const verification = verifyChains(store, runId)
  const files: Zippable = {}
  const images = new Map<string, string>()
  const used = new Set<string>()
  for (const a of artifacts) {
    const full = resolve(workspaceRoot, a.path)
    if (!full.startsWith(resolve(workspaceRoot) + sep) || !existsSync(full)) continue
    const bytes = readFileSync(full)
    let name = basename(a.path)
    for (let i = 2; used.has(name); i++) name = `${i}-${basename(a.path)}`
    used.add(name)
    files[`artifacts/${name}`] = [bytes, { level: 0 }]
    const ext = name.slice(name.lastIndexOf('.')).toLowerCase()
    const type = IMAGE_TYPES[ext]
    if (type && bytes.length <= INLINE_LIMIT) images.set(a.id, `data:${type};base64,${bytes.toString('base64')}`)
  }
  const html = renderReport({ run, events, artifacts, approvals, verification, images, generatedAt: nowIso() })
  files['report.html'] = new TextEncoder().encode(html)
  files['events.jsonl'] = new TextEncoder().encode(events.map((e) => JSON.stringify(e)).join('\n') + '\n')
  files['verification.json'] = new TextEncoder().encode(JSON.stringify(verification, null, 2))
  files['run.json'] = new TextEncoder().encode(JSON.stringify(run, null, 2))
  return zipSync(files, { level: 6 })
}

/** Writes atomically: a crash mid-write leaves no half zip under the final name. */
export function writeReport(store: Store, workspaceRoot: string, runId: string, out: string): { path: string; bytes: number } {
  const zip = buildReportZip(store, workspaceRoot, runId)
  const tmp = `${out}.partial`
  writeFileSync(tmp, zip)
  renameSync(tmp, out)
  return { path: out, bytes: zip.length }
}

/**
 * The report of a run as one of its artifacts: written under exports/, recorded with its hash,
 * and announced (run.changed) so an open run view lists it.
 */
export async function exportRunReport(ctx: CoreContext, run: Run, by: string): Promise<Artifact> {
  const name = `report-${run.id}.zip`
  const out = join(ctx.ws.paths.exports, name)
  writeReport(ctx.ws.store, ctx.ws.dir, run.id, out)
  const art = await recordArtifact(ctx.ws.store, { runId: run.id, kind: 'report', name, absPath: out, relPath: `exports/${name}` })
  ctx.log.info('report written', { runId: run.id, by })
  ctx.bus.emit('run.changed', { runId: run.id, status: run.status, trackId: run.trackId })
  return art
}
