// Typed calls derived from the one route table in shared/api.ts: the route name fixes the
// method, the path template, the request shape and the result type. Methods and paths come
// from the zod-free shared/route-paths.ts, so the page does not load the schemas.
import type { ApiErrorBody, RouteName, RouteOutput, RouteRequest } from '@shared/api'
import { buildPath, routeOf } from '@shared/route-paths'
import { defaultTransport, type Transport } from './transport'

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly field?: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
  /** Routes the backend does not ship yet answer 404 "... is not available in this build". */
  get notAvailable(): boolean {
    return this.status === 404 && /not available in this build/i.test(this.message)
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError

export function isNotAvailable(e: unknown): boolean {
  return e instanceof ApiError && e.notAvailable
}

export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message
  if (e instanceof Error) return e.message
  return String(e)
}

type UnauthorizedHook = () => void
let transport: Transport = defaultTransport()
let onUnauthorized: UnauthorizedHook = () => {}

/** Tests and the bootstrap may swap the transport or learn about a 401. */
export function configureClient(opts: { transport?: Transport; onUnauthorized?: UnauthorizedHook }): void {
  if (opts.transport) transport = opts.transport
  if (opts.onUnauthorized) onUnauthorized = opts.onUnauthorized
}

function toQuery(q: RouteRequest<RouteName>['query']): Record<string, string> | undefined {
  if (!q) return undefined
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') out[k] = String(v)
  return Object.keys(out).length ? out : undefined
}

function asErrorBody(body: unknown): ApiErrorBody['error'] | null {
  if (body && typeof body === 'object' && 'error' in body) {
    const e = (body as { error: unknown }).error
    if (e && typeof e === 'object' && 'message' in e) return e as ApiErrorBody['error']
  }
  return null
}

export async function call<N extends RouteName>(name: N, req: RouteRequest<N> = {}): Promise<RouteOutput<N>> {
  const route = routeOf(name)
  const path = buildPath(route.path, req.params as Record<string, string> | undefined)
  let res
  try {
    res = await transport({ method: route.method, path, query: toQuery(req.query), body: req.body })
  } catch (err) {
    // fetch rejects only when the host is unreachable (stopped, network gone).
    throw new ApiError('unreachable', `Cannot reach Opdesk: ${errorMessage(err)}`, 0)
  }
  if (res.status >= 400) {
    const e = asErrorBody(res.body)
    const err = new ApiError(e?.code ?? 'internal', e?.message ?? `HTTP ${res.status}`, res.status, e?.field)
    if (res.status === 401) onUnauthorized()
    throw err
  }
  return res.body as RouteOutput<N>
}
