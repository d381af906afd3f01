// Host mode: the core's router and the renderer build over HTTP on loopback, behind a token.
import { createReadStream, openSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Core } from '../core/core'
import { localOperatorName, namedTokens } from '../core/identity'
import { ARTIFACT_OPEN_FLAGS } from '../core/paths'
import { allowedHosts, authenticate, BadTokenLimiter, hostMatches, identify, newToken, sameOrigin, TOKEN_COOKIE, tokenProblem, type TokenBook } from './auth'
import { RENDERER_CSP, serveStatic, serveTraceViewer, traceViewerDir } from './static'
import { attachTakeover } from './takeover-ws'
import { TurnGate } from './turn-gate'

export interface HostOptions {
  core: Core
  port?: number
  host?: string
  token?: string
  rendererDir?: string
  /** Extra handlers tried before the API router (takeover streams). Return true when handled. */
  extra?: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>
}

export interface Host {
  server: Server
  url: string
  origin: string
  token: string
  port: number
  close(): Promise<void>
}

const MAX_BODY = 4 * 1024 * 1024
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])

function sendJson(res: ServerResponse, status: number, body: unknown) {
  const data = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  })
  res.end(data)
}

const errorBody = (code: string, message: string) => ({ error: { code, message } })

/** Over the limit, a wrong token waits this long for its 429 so a sequential guesser is slowed too. */
const GUESS_DELAY_MS = 250
const tooMany = (res: ServerResponse) =>
  setTimeout(() => {
    res.setHeader('retry-after', '60')
    sendJson(res, 429, errorBody('rate_limited', 'Too many wrong tokens from this address; wait a minute'))
  }, GUESS_DELAY_MS)

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY) throw Object.assign(new Error('Request body is larger than 4 MiB'), { status: 400 })
    chunks.push(chunk as Buffer)
  }
  if (size === 0) return undefined
  const text = Buffer.concat(chunks).toString('utf8')
  try {
    return JSON.parse(text)
  } catch {
    throw Object.assign(new Error('Request body is not valid JSON'), { status: 400 })
  }
}

export async function startHost(opts: HostOptions): Promise<Host> {
  const host = opts.host ?? '127.0.0.1'
  if (!LOOPBACK.has(host) && process.env.OPDESK_ALLOW_REMOTE !== '1') {
    throw new Error(`Refusing to listen on ${host}: host mode serves loopback only (set OPDESK_ALLOW_REMOTE=1 to override).`)
  }
  const token = opts.token ?? newToken()
  const weak = tokenProblem(token)
  if (weak) throw new Error(`Refusing to serve: ${weak}`)
  const limiter = new BadTokenLimiter()
  const writes = new TurnGate()
  const { core } = opts
  const tokens = namedTokens(core.ws)
  // The printed token is the local operator's (an admin); named tokens carry their own role.
  const book: TokenBook = {
    serveToken: token,
    localActor: () => ({ name: localOperatorName(core.ws), role: 'admin' }),
    named: (given) => tokens.actorFor(given),
  }
  let origin = ''
  let hosts = new Set<string>()

  const handleRequest = async (req: IncomingMessage, res: ServerResponse) => {
    // A page on another name that resolves to 127.0.0.1 (DNS rebinding) is not same-origin
    // with us in the browser's eyes, so it could read our answers: serve only our own names.
    if (!hostMatches(req, hosts)) {
      return sendJson(res, 403, errorBody('forbidden', `The Host header does not name this server; use ${origin}`))
    }
    let url: URL
    try {
      url = new URL(req.url ?? '/', 'http://localhost')
    } catch {
      return sendJson(res, 400, errorBody('bad_request', 'The request path is not a valid URL'))
    }
    const addr = req.socket.remoteAddress ?? '?'
    // The Host is one of ours (checked above), so this is the origin the browser used.
    const selfOrigin = `http://${req.headers.host}`
    try {
      if (!url.pathname.startsWith('/api/')) {
        // Opening the printed URL trades the token for an HttpOnly cookie, then drops it from the address bar.
        const q = url.searchParams.get('token')
        if (q !== null) {
          if (!identify(q, book)) {
            if (limiter.fail(addr)) return tooMany(res)
            res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' })
            res.end('Wrong token. Use the URL that `opdesk serve` printed.\n')
            return
          }
          url.searchParams.delete('token')
          res.writeHead(303, {
            'set-cookie': `${TOKEN_COOKIE}=${encodeURIComponent(q)}; HttpOnly; SameSite=Strict; Path=/`,
            location: url.pathname + (url.search || ''),
          })
          res.end()
          return
        }
        if (opts.extra && (await opts.extra(req, res, url))) return
        if (url.pathname === '/trace-viewer' || url.pathname.startsWith('/trace-viewer/')) {
          // Static files only; the trace itself comes from the token-protected artifact route.
          const dir = traceViewerDir()
          if (dir) return serveTraceViewer(dir, url.pathname, req.method ?? 'GET', res)
        }
        if (!opts.rendererDir) {
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': RENDERER_CSP })
          res.end('No UI in this host.\n')
          return
        }
        serveStatic(opts.rendererDir, url.pathname, res)
        return
      }

      // The token is checked before the limit: the valid token is never refused.
      const auth = authenticate(req, book)
      if (!auth.ok) {
        if (limiter.fail(addr)) return tooMany(res)
        return sendJson(res, 401, errorBody('unauthorized', 'Missing or wrong token: send Authorization: Bearer TOKEN'))
      }
      const method = (req.method ?? 'GET').toUpperCase()
      if (auth.via === 'cookie' && method !== 'GET' && !sameOrigin(req, selfOrigin)) {
        return sendJson(res, 401, errorBody('unauthorized', 'Cross-site request refused'))
      }
      if (opts.extra && (await opts.extra(req, res, url))) return
      if (url.pathname === '/api/stream' && method === 'GET') return stream(req, res, core)

      const body = method === 'GET' || method === 'DELETE' ? undefined : await readBody(req)
      const query = Object.fromEntries(url.searchParams.entries())
      // The token's identity travels with the request; the router checks its role.
      const call = () => core.router.handle({ method, path: url.pathname, query, body, actor: auth.actor })
      // Writes take turns with the event loop so a burst of them never starves reads.
      const out = method === 'GET' ? await call() : await writes.run(call)
      if (out.file && out.status === 200) {
        // O_NOFOLLOW: a symlink swapped in after the route's check is not followed either.
        let fd: number
        try {
          fd = openSync(out.file.path, ARTIFACT_OPEN_FLAGS)
        } catch {
          return sendJson(res, 404, errorBody('not_found', 'The artifact file is gone or is not a regular file'))
        }
        res.writeHead(200, {
          'content-type': out.file.contentType,
          'content-disposition': `inline; filename="${out.file.fileName.replace(/["\\\r\n]/g, '_')}"`,
          'x-content-type-options': 'nosniff',
          'content-security-policy': "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox",
        })
        const file = createReadStream('', { fd })
        file.on('error', () => res.destroy())
        file.pipe(res)
        return
      }
      sendJson(res, out.status, out.body)
    } catch (err) {
      const status = (err as { status?: number }).status
      if (status === 400) return sendJson(res, 400, errorBody('bad_request', (err as Error).message))
      core.ctx.log.error('host request failed', { path: url.pathname, error: String(err) })
      if (!res.headersSent) sendJson(res, 500, errorBody('internal', 'Internal error; see the Opdesk log'))
      else res.end()
    }
  }
  const server = createServer((req, res) => {
    // A write's intake (Host check, token, body) takes its turn too: 1,000 POSTs arriving
    // together would otherwise all be authenticated and read in one poll phase (0.7 s
    // measured), before the gate sees any of them, and a GET /api/health waits behind that.
    const method = (req.method ?? 'GET').toUpperCase()
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') void handleRequest(req, res)
    else void writes.run(() => handleRequest(req, res))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  hosts = allowedHosts(host, port)
  // The takeover view's live page travels over a WebSocket beside the API, same token rules.
  const closeTakeover = attachTakeover(server, { core, book, hosts, limiter, hub: core.takeover })
  const sockets = new Set<import('node:net').Socket>()
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  return {
    server,
    origin,
    url: `${origin}/?token=${token}`,
    token,
    port,
    close: async () => {
      await closeTakeover()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        // SSE clients keep sockets open forever; end them so close() returns.
        for (const s of sockets) s.destroy()
      })
    },
  }
}

/** Server-sent events: one line of JSON per change, a comment every 15 s to keep proxies awake. */
function stream(req: IncomingMessage, res: ServerResponse, core: Core) {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  })
  res.write(`event: hello\ndata: ${JSON.stringify({ at: new Date().toISOString() })}\n\n`)
  // A run creation emits several events at once and a burst emits thousands: corked until
  // the current tick ends, each tick's events leave in one write instead of one syscall each.
  let corked = false
  const off = core.bus.subscribe((msg) => {
    if (!corked) {
      corked = true
      res.cork()
      process.nextTick(() => {
        corked = false
        res.uncork()
      })
    }
    res.write(`event: ${msg.type}\ndata: ${JSON.stringify(msg.data)}\n\n`)
  })
  const ping = setInterval(() => res.write(': ping\n\n'), 15_000)
  req.on('close', () => {
    off()
    clearInterval(ping)
  })
}
