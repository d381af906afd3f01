// The method and path of every API route, without its schemas: all a client needs to call
// it. The renderer imports this table rather than api.ts's, so it ships no zod. `satisfies`
// makes both tables name the same routes; route-paths.test.ts checks each method and path.
import type { RouteName } from './api'

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

export const ROUTE_PATHS = {
  health: 'GET /api/health',
  summary: 'GET /api/summary',
  listTracks: 'GET /api/tracks',
  createTrack: 'POST /api/tracks',
  getTrack: 'GET /api/tracks/:id',
  updateTrack: 'PATCH /api/tracks/:id',
  deleteTrack: 'DELETE /api/tracks/:id',
  addStep: 'POST /api/tracks/:id/steps',
  addCheckpoint: 'POST /api/tracks/:id/checkpoints',
  addBlocker: 'POST /api/tracks/:id/blockers',
  updateStep: 'PATCH /api/steps/:id',
  updateCheckpoint: 'PATCH /api/checkpoints/:id',
  updateBlocker: 'PATCH /api/blockers/:id',
  listFlows: 'GET /api/flows',
  createFlow: 'POST /api/flows',
  getFlow: 'GET /api/flows/:id',
  updateFlow: 'PATCH /api/flows/:id',
  listFlowVersions: 'GET /api/flows/:id/versions',
  validateFlow: 'POST /api/flows/validate',
  policyCheck: 'POST /api/policy-check',
  createRun: 'POST /api/runs',
  listRuns: 'GET /api/runs',
  getRun: 'GET /api/runs/:id',
  listEvents: 'GET /api/runs/:id/events',
  approveRun: 'POST /api/runs/:id/approve',
  rejectRun: 'POST /api/runs/:id/reject',
  cancelRun: 'POST /api/runs/:id/cancel',
  retryRun: 'POST /api/runs/:id/retry',
  dismissRun: 'POST /api/runs/:id/dismiss',
  markRunDone: 'POST /api/runs/:id/mark-done',
  resumeRun: 'POST /api/runs/:id/resume',
  continueRun: 'POST /api/runs/:id/continue',
  reportRun: 'POST /api/runs/:id/report',
  listArtifacts: 'GET /api/runs/:id/artifacts',
  artifactContent: 'GET /api/artifacts/:id/content',
  runTrace: 'GET /api/runs/:id/trace',
  listApprovals: 'GET /api/approvals',
  listStanding: 'GET /api/approvals/standing',
  revokeStanding: 'POST /api/approvals/standing/:id/revoke',
  listAlerts: 'GET /api/alerts',
  ackAlert: 'POST /api/alerts/:id/ack',
  needsYou: 'GET /api/needs-you',
  runTimeline: 'GET /api/runs/:id/timeline',
  flowAnalytics: 'GET /api/analytics/flows',
  failureAnalytics: 'GET /api/analytics/failures',
  getSettings: 'GET /api/settings',
  updateSettings: 'PATCH /api/settings',
  getPolicy: 'GET /api/policy',
  putPolicy: 'POST /api/policy',
  listSecrets: 'GET /api/secrets',
  putSecret: 'POST /api/secrets',
  listSchedules: 'GET /api/schedules',
  createSchedule: 'POST /api/schedules',
  getSchedule: 'GET /api/schedules/:id',
  updateSchedule: 'PATCH /api/schedules/:id',
  deleteSchedule: 'DELETE /api/schedules/:id',
  listProfiles: 'GET /api/profiles',
  getProfile: 'GET /api/profiles/:name',
  putProfile: 'POST /api/profiles',
  checkProfile: 'POST /api/profiles/:name/check',
  loginProfile: 'POST /api/profiles/:name/login',
} as const satisfies Record<RouteName, `${Method} /api/${string}`>

export function routeOf(name: RouteName): { method: Method; path: string } {
  const [method, path] = ROUTE_PATHS[name].split(' ') as [Method, string]
  return { method, path }
}

/** Build the concrete path for a route, e.g. /api/tracks/trk_1. */
export function buildPath(path: string, params?: Record<string, string>): string {
  return path.replace(/:([A-Za-z]+)/g, (_, k: string) => encodeURIComponent(params?.[k] ?? ''))
}
