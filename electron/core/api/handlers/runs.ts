import { basename } from 'node:path'
import type { Run } from '../../../../shared/domain'
import { acknowledgeAlert } from '../../alerts'
import type { CoreContext } from '../../context'
import type { RunService } from '../../runs/service'
import * as alerts from '../../store/alerts'
import { getArtifact, listArtifacts } from '../../store/artifacts'
import { artifactFile } from '../../store/artifact-files'
import { exportRunReport } from '../../reports/export'
import { getRun, listRuns } from '../../store/runs'
import { listNeedsYou } from '../../store/needs-you'
import { describeKind } from '../../runs/session'
import { timelineOf } from '../../runs/timeline'
import { runTraceFile } from '../../runs/run-trace'
import { contentTypeOf } from '../../content-type'
import { notFound } from '../../errors'
import type { Handlers } from '../router'

export function runHandlers(ctx: CoreContext, service: RunService): Handlers {
  const store = ctx.ws.store
  /** While a person is needed the run carries where to take over. */
  const withTakeover = (run: Run): Run => ({
    ...run,
    takeoverUrl: run.status === 'waiting-mfa' ? service.takeoverPath(run.id) : null,
  })
  return {
    createRun: ({ body, actor }) => withTakeover(service.create(body, actor.name)),
    listRuns: ({ query }) => {
      const page = listRuns(store, query)
      return { items: page.items.map(withTakeover), total: page.total }
    },
    getRun: ({ params }) => withTakeover(service.mustRun(params.id)),
    listEvents: ({ params, query }) => {
      service.mustRun(params.id)
      const events = service.events.list(params.id, query.after ?? 0, Math.min(query.limit ?? 500, 10_000))
      return { events, last: service.events.lastSeq(params.id) }
    },
    runTimeline: ({ params }) => {
      const run = service.mustRun(params.id)
      return timelineOf(run, (after, limit) => service.events.list(run.id, after, limit))
    },
    // Who decides, cancels or resumes is the caller's identity, never a name in the body.
    approveRun: ({ params, body, actor }) =>
      withTakeover(service.decide(params.id, 'approved', actor.name, body.note ?? null, body.remember ?? null)),
    rejectRun: ({ params, body, actor }) => withTakeover(service.decide(params.id, 'rejected', actor.name, body.note ?? null)),
    cancelRun: ({ params, actor }) => withTakeover(service.cancel(params.id, actor.name)),
    retryRun: ({ params, body, actor }) => withTakeover(service.retry(params.id, actor.name, body.flow ?? 'current')),
    dismissRun: ({ params, body, actor }) => withTakeover(service.followUp.dismiss(params.id, body.note, actor.name)),
    markRunDone: ({ params, body, actor }) =>
      withTakeover(service.followUp.markDone(params.id, body.checkpointId ?? null, actor.name)),
    resumeRun: async ({ params, body, actor }) => withTakeover(await service.resume(params.id, body.force ?? false, actor.name)),
    continueRun: async ({ params, body, actor }) =>
      withTakeover(await service.continueRun(params.id, body.action, body.note ?? null, actor.name)),
    reportRun: ({ params, actor }) => exportRunReport(ctx, service.mustRun(params.id), actor.name),
    listArtifacts: ({ params }) => {
      if (!getRun(store, params.id)) throw notFound('Run', params.id)
      return listArtifacts(store, params.id)
    },
    artifactContent: ({ params }) => {
      const art = getArtifact(store, params.id)
      if (!art) throw notFound('Artifact', params.id)
      // Only a regular file inside evidence/ (reports: exports/), never through a symlink.
      const file = artifactFile(ctx.ws.paths, art)
      if (!file.ok) throw notFound('Artifact file', params.id)
      // The stored file's own name carries its extension (trace-1.zip, page-1.png); art.name may not.
      return { path: file.path, contentType: contentTypeOf(file.path), fileName: basename(file.path) }
    },
    runTrace: ({ params }) => {
      const run = service.mustRun(params.id)
      const trace = runTraceFile(store, ctx.ws.paths, run.id)
      if (!trace) throw notFound('Trace of run', run.id)
      return { path: trace.path, contentType: 'application/zip', fileName: `trace-${run.id}.zip` }
    },
    needsYou: () =>
      listNeedsYou(store, {
        takeoverPath: (id) => service.takeoverPath(id),
        describePrompt: (d) =>
          `Sign-in needed: ${describeKind(String(d.kind ?? ''))}${typeof d.url === 'string' ? ` at ${d.url}` : ''}`,
      }),
    listApprovals: ({ query }) => alerts.listApprovals(store, query.status),
    listStanding: () => service.listStanding(),
    revokeStanding: ({ params, actor }) => service.revokeStanding(params.id, actor.name),
    listAlerts: ({ query }) => alerts.listAlerts(store, query.open),
    ackAlert: ({ params, actor }) => acknowledgeAlert(ctx, params.id, actor.name),
  }
}
