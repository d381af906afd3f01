import { createReadStream, existsSync, statSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { join, normalize, resolve, sep } from 'node:path'
import { contentTypeOf } from '../core/content-type'

export { contentTypeOf }

/** The same policy the Electron renderer gets: nothing but our own origin, no inline script. */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** Resolves a URL path inside root, or null when it would escape it. */
export function safeJoin(root: string, urlPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const full = resolve(root, '.' + normalize('/' + decoded))
  const base = resolve(root)
  return full === base || full.startsWith(base + sep) ? full : null
}

/** Serves the renderer build; unknown paths get index.html so client routes work on reload. */
export function serveStatic(root: string, urlPath: string, res: ServerResponse): void {
  let file = safeJoin(root, urlPath)
  if (!file || !existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html')
  if (!existsSync(file)) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
    res.end('The Opdesk UI is not built. Run `npm run build` (or `npm run serve`), then reload.\n')
    return
  }
  const headers: Record<string, string> = {
    'content-type': contentTypeOf(file),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  }
  if (file.endsWith('.html')) {
    headers['content-security-policy'] = RENDERER_CSP
    headers['cache-control'] = 'no-store'
  }
  res.writeHead(200, headers)
  createReadStream(file).pipe(res)
}
