// Host mode's takeover transport: a WebSocket at GET /api/runs/:id/takeover (upgrade),
// authenticated exactly like /api (Bearer header or the opdesk_token cookie) and refused
// from any other origin, since a cookie would ride along on a cross-site upgrade.
// Control messages and frames are JSON text (frames base64): simple, and fine on loopback.
import { randomBytes } from 'node:crypto'
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { DownMessage } from '../../shared/takeover'
import type { Core } from '../core/core'
import type { TakeoverHub } from '../core/takeover/hub'
import { TakeoverError } from '../core/takeover/types'
import { roleAllows } from '../../shared/api'
import { authenticate, type BadTokenLimiter, hostMatches, sameOrigin, type TokenBook } from './auth'

export interface TakeoverSocketOptions {
  core: Core
  /** Who holds which token (the serve token and the named ones). */
  book: TokenBook
  /** Host header values that name this server (DNS rebinding). */
  hosts: Set<string>
  /** Shared with the HTTP routes so guesses count once per client whichever way they come. */
  limiter: BadTokenLimiter
  hub: TakeoverHub
}

const PATH = /^\/api\/runs\/([^/]{1,100})\/takeover$/
/** A frame is skipped for a viewer whose socket still holds this much unsent data. */
const MAX_BACKLOG = 2 * 1024 * 1024
const PING_MS = 20_000
const REFUSALS: Record<number, [string, string]> = {
  401: ['unauthorized', 'Unauthorized'],
  403: ['forbidden', 'Forbidden'],
  404: ['not_found', 'Not Found'],
  409: ['conflict', 'Conflict'],
  429: ['rate_limited', 'Too Many Requests'],
}

function refuse(socket: Duplex, status: number, text: string): void {
  if (!socket.writable) return
  const [code, reason] = REFUSALS[status] ?? ['unauthorized', 'Unauthorized']
  const body = JSON.stringify({ error: { code, message: text } })
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\n` +
      `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  )
}

/** Listens for takeover upgrades on the host's server; returns a function that closes every socket. */
export function attachTakeover(server: Server, opts: TakeoverSocketOptions): () => Promise<void> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 })
  const { limiter } = opts

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!hostMatches(req, opts.hosts)) return refuse(socket, 403, 'This Host is not this server')
    let url: URL
    try {
      url = new URL(req.url ?? '/', 'http://localhost')
    } catch {
      return refuse(socket, 404, 'No WebSocket endpoint here')
    }
    const m = PATH.exec(url.pathname)
    if (!m) {
      // No other upgrade endpoint exists: answer rather than leave the socket hanging.
      if (server.listenerCount('upgrade') === 1) refuse(socket, 404, 'No WebSocket endpoint here')
      return
    }
    const addr = req.socket.remoteAddress ?? '?'
    // The valid token is checked first and never refused; only wrong ones count.
    const auth = authenticate(req, opts.book)
    if (!auth.ok) {
      if (limiter.fail(addr)) return refuse(socket, 429, 'Too many wrong tokens from this address; wait a minute')
      return refuse(socket, 401, 'Missing or wrong token')
    }
    // Taking over a live page is an operator's action.
    if (!roleAllows(auth.actor.role, 'operator')) {
      return refuse(socket, 403, `Taking over needs the operator role; "${auth.actor.name}" is a ${auth.actor.role}`)
    }
    if (!sameOrigin(req, `http://${req.headers.host}`)) return refuse(socket, 401, 'Cross-site request refused')
    let runId: string
    try {
      runId = decodeURIComponent(m[1]!)
    } catch {
      return refuse(socket, 404, 'Run not found')
    }
    if (!opts.hub.describe(runId)) return refuse(socket, 404, `Run ${runId} was not found`)
    // The audit trail names the token's holder, never a name the page chose.
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws, runId, auth.actor.name))
  }

  const connect = (ws: WebSocket, runId: string, by: string) => {
    const viewer = {
      id: `v_${randomBytes(6).toString('hex')}`,
      by,
      send(msg: DownMessage) {
        if (ws.readyState !== ws.OPEN) return
        // Frames are disposable (the next one replaces them); control messages are not.
        if (msg.type === 'frame' && ws.bufferedAmount > MAX_BACKLOG) return
        ws.send(JSON.stringify(msg))
      },
    }
    let handle
    try {
      handle = opts.hub.attach(runId, viewer)
    } catch (err) {
      const code = err instanceof TakeoverError ? err.code : 'unavailable'
      ws.send(JSON.stringify({ type: 'error', code, message: err instanceof Error ? err.message : String(err) }))
      ws.close(1011, 'takeover unavailable')
      return
    }
    let alive = true
    const ping = setInterval(() => {
      if (!alive) return ws.terminate()
      alive = false
      ws.ping()
    }, PING_MS)
    ws.on('pong', () => (alive = true))
    ws.on('message', (data, isBinary) => {
      if (isBinary) return
      let msg: unknown
      try {
        msg = JSON.parse(data.toString())
      } catch {
        msg = undefined
      }
      handle.handle(msg)
    })
    ws.on('close', () => {
      clearInterval(ping)
      handle.detach()
    })
    ws.on('error', () => ws.terminate())
  }

  server.on('upgrade', onUpgrade)
  return async () => {
    server.off('upgrade', onUpgrade)
    for (const ws of wss.clients) ws.terminate()
    await new Promise<void>((r) => wss.close(() => r()))
  }
}
