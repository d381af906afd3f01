// Small helpers shared by the demo site and the test fixture site. Both are plain
// node:http servers on loopback so the demo and the tests run fully offline.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

// Bodies are tiny forms; the cap keeps a misbehaving client from growing memory.
const MAX_BODY = 64 * 1024

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    const buf = chunk as Buffer
    size += buf.length
    if (size > MAX_BODY) throw new Error('request body too large')
    chunks.push(buf)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  const type = String(req.headers['content-type'] ?? '')
  if (type.includes('application/json')) {
    const params = new URLSearchParams()
    const data: unknown = text ? JSON.parse(text) : {}
    if (data && typeof data === 'object') {
      for (const [k, v] of Object.entries(data)) params.set(k, String(v))
    }
    return params
  }
  return new URLSearchParams(text)
}

export function parseCookies(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>()
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    const name = part.slice(0, eq).trim()
    const raw = part.slice(eq + 1).trim()
    if (!name || out.has(name)) continue
    try {
      out.set(name, decodeURIComponent(raw))
    } catch {
      out.set(name, raw)
    }
  }
  return out
}

export function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: Record<string, string | string[]> = {},
): void {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    // Pages carry per-session state (errors, codes); never let the browser reuse them.
    'Cache-Control': 'no-store',
    'Content-Length': String(buf.length),
    ...headers,
  })
  res.end(res.req.method === 'HEAD' ? undefined : buf)
}

// 303 so a POSTed form is followed by a GET (no "resubmit form?" on reload).
export function redirect(res: ServerResponse, location: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(303, { Location: location, 'Cache-Control': 'no-store', 'Content-Length': '0', ...headers })
  res.end()
}

export function sendJson(res: ServerResponse, status: number, data: unknown): void {
  send(res, status, JSON.stringify(data), { 'Content-Type': 'application/json; charset=utf-8' })
}

export interface Listening {
  server: Server
  port: number
  close(): Promise<void>
}

// Listens on loopback only; port 0 picks a free port so parallel test files never collide.
export function listen(handler: Handler, port = 0, host = '127.0.0.1'): Promise<Listening> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`)
    Promise.resolve()
      .then(() => handler(req, res, url))
      .catch((err: unknown) => {
        if (res.headersSent) {
          res.destroy()
          return
        }
        send(res, 500, `<!doctype html><title>Error</title><p>${escapeHtml(String(err))}</p>`)
      })
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      const addr = server.address() as AddressInfo
      resolve({
        server,
        port: addr.port,
        close: () =>
          new Promise<void>((done) => {
            // Browsers keep idle keep-alive sockets open; without this close() would hang.
            server.close(() => done())
            server.closeAllConnections()
          }),
      })
    })
  })
}
