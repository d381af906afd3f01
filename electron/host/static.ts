import { createReadStream, existsSync, statSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import { dirname, join, normalize, resolve, sep } from 'node:path'
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

/** The trace viewer shipped inside playwright-core, served as-is so traces replay offline. */
export const TRACE_VIEWER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' data: blob:",
  "worker-src 'self'",
  "frame-src 'self' blob:",
  "frame-ancestors 'self'",
].join('; ')

export function traceViewerDir(): string | null {
  try {
    const pkg = createRequire(import.meta.url).resolve('playwright-core/package.json')
    const dir = join(dirname(pkg), 'lib', 'vite', 'traceViewer')
    return existsSync(join(dir, 'index.html')) ? dir : null
  } catch {
    return null
  }
}

/** Serves /trace-viewer/* from playwright-core; no index fallback, missing files are 404. */
export function serveTraceViewer(dir: string, urlPath: string, method: string, res: ServerResponse): void {
  const file = safeJoin(dir, urlPath.replace(/^\/trace-viewer\/?/, '/') || '/index.html')
  const target = file && existsSync(file) && statSync(file).isDirectory() ? join(file, 'index.html') : file
  if (!target || !existsSync(target)) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
    res.end('Not found\n')
    return
  }
  res.writeHead(200, {
    'content-type': contentTypeOf(target),
    'content-security-policy': TRACE_VIEWER_CSP,
    'x-content-type-options': 'nosniff',
    // The viewer's service worker must be allowed to control /trace-viewer/.
    'service-worker-allowed': '/trace-viewer/',
  })
  if (method === 'HEAD') {
    res.end()
    return
  }
  createReadStream(target).pipe(res)
}
