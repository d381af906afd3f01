// The single router behind every shell: match a route from shared/api, validate its
// params, query and body with zod, call the handler, and turn any failure into the
// error shape of DESIGN.md. HTTP and Electron IPC both call handle().
import { z } from 'zod'
import { roleAllows, ROUTE_ROLES, routes, type Actor, type RouteInput, type RouteName, type RouteOutput } from '../../../shared/api'
import { badRequest, DomainError, forbidden } from '../errors'
import { errorBody, toHttp } from './errors'

export interface ApiRequest {
  method: string
  path: string
  query?: Record<string, string | undefined>
  body?: unknown
  /**
   * Who asks. Host mode always passes the token's identity; a shell that runs as the local
   * person (Electron, the CLI) leaves it out and gets the router's local actor.
   */
  actor?: Actor
}

export interface ApiResponse {
  status: number
  body: unknown
  /** Set by routes that answer with a file (artifact content) instead of JSON. */
  file?: { path: string; contentType: string; fileName: string }
}

/** What a handler receives: the validated input plus who asks (never null). */
export type HandlerInput<N extends RouteName> = RouteInput<N> & { actor: Actor }
export type Handler<N extends RouteName> = (input: HandlerInput<N>) => RouteOutput<N> | Promise<RouteOutput<N>>
export type Handlers = { [N in RouteName]?: Handler<N> }

interface Compiled {
  name: RouteName
  method: string
  regex: RegExp
  keys: string[]
}

const compiled: Compiled[] = (Object.keys(routes) as RouteName[]).map((name) => {
  const r = routes[name]
  const keys: string[] = []
  const pattern = r.path.replace(/:([A-Za-z]+)/g, (_, k: string) => {
    keys.push(k)
    return '([^/]+)'
  })
  return { name, method: r.method, regex: new RegExp(`^${pattern}/?$`), keys }
})

export function matchRoute(method: string, path: string): { name: RouteName; params: Record<string, string> } | 'method' | null {
  let pathMatched = false
  for (const c of compiled) {
    const m = c.regex.exec(path)
    if (!m) continue
    pathMatched = true
    if (c.method !== method) continue
    const params: Record<string, string> = {}
    for (const [i, k] of c.keys.entries()) {
      // `%E0%A4%A` is a malformed request, not a server fault.
      try {
        params[k] = decodeURIComponent(m[i + 1] ?? '')
      } catch {
        throw badRequest(`The path segment "${m[i + 1]}" is not valid percent-encoding`, k)
      }
    }
    return { name: c.name, params }
  }
  return pathMatched ? 'method' : null
}

function describe(err: z.ZodError, where: string): DomainError {
  const first = err.issues[0]
  const field = first?.path.length ? first.path.join('.') : undefined
  const all = err.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
  return badRequest(`Invalid ${where}: ${all.join('; ')}`, field)
}

function parse(schema: unknown, value: unknown, where: string): unknown {
  if (!schema) return undefined
  const res = (schema as z.ZodType).safeParse(value)
  if (!res.success) throw describe(res.error, where)
  return res.data
}

export interface Router {
  handle(req: ApiRequest): Promise<ApiResponse>
  /** Typed in-process call (CLI, tests): throws DomainError on failure. */
  call<N extends RouteName>(name: N, input?: { params?: unknown; query?: unknown; body?: unknown }, actor?: Actor): Promise<RouteOutput<N>>
}

export interface RouterOptions {
  onError?: (err: unknown, req: ApiRequest) => void
  /** Who a request without an identity acts as: the person at this machine (an admin). */
  localActor?: () => Actor
}

/** The one place a route's required role is checked, for every shell. */
export function authorize(name: RouteName, actor: Actor): void {
  const need = ROUTE_ROLES[name]
  if (!roleAllows(actor.role, need)) {
    throw forbidden(`${name} needs the ${need} role; "${actor.name}" is ${actor.role === 'admin' ? 'an' : 'a'} ${actor.role}`)
  }
}

const FALLBACK_ACTOR: Actor = { name: 'local operator', role: 'admin' }

export function createRouter(handlers: Handlers, opts: RouterOptions | ((err: unknown, req: ApiRequest) => void) = {}): Router {
  const { onError, localActor = () => FALLBACK_ACTOR } = typeof opts === 'function' ? { onError: opts } : opts
  async function invoke(name: RouteName, raw: { params?: unknown; query?: unknown; body?: unknown }, who: Actor | undefined) {
    const r = routes[name] as { params?: unknown; query?: unknown; body?: unknown; method: string }
    const handler = handlers[name] as ((input: unknown) => unknown) | undefined
    const actor = who ?? localActor()
    authorize(name, actor)
    if (!handler) throw new DomainError('not_found', `${name} is not available in this build`)
    const input = {
      actor,
      params: parse(r.params, raw.params ?? {}, 'path'),
      query: parse(r.query, raw.query ?? {}, 'query'),
      // A route without a body schema ignores any body; one with a schema gets {} when empty.
      body: r.body ? parse(r.body, raw.body ?? {}, 'body') : undefined,
    }
    return handler(input)
  }

  return {
    async handle(req) {
      try {
        const m = matchRoute(req.method.toUpperCase(), req.path)
        if (m === null) throw new DomainError('not_found', `No route ${req.method} ${req.path}`)
        if (m === 'method') throw new DomainError('not_found', `${req.method} is not supported on ${req.path}`)
        const query = Object.fromEntries(Object.entries(req.query ?? {}).filter(([, v]) => v !== undefined && v !== ''))
        const value = await invoke(m.name, { params: m.params, query, body: req.body }, req.actor)
        if (m.name === 'artifactContent' || m.name === 'runTrace') {
          const f = value as RouteOutput<'artifactContent'>
          return { status: 200, body: f, file: f }
        }
        return { status: m.name.startsWith('create') || m.name === 'retryRun' ? 201 : 200, body: value }
      } catch (err) {
        if (err instanceof DomainError) return toHttp(err)
        onError?.(err, req)
        return { status: 500, body: errorBody('internal', 'Internal error; see the Opdesk log for details') }
      }
    },
    async call(name, input = {}, actor) {
      return (await invoke(name, input, actor)) as never
    },
  }
}
