// What opdesk://app/ answers: the renderer build and artifact bytes, under one origin.
// No electron import (protocol.ts does the registration), so path confinement, the SPA
// fallback and the headers are unit-tested in plain Node.
import { createReadStream, existsSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'
import { Readable } from 'node:stream'
import { contentTypeOf, RENDERER_CSP, safeJoin } from '../host/static'
import type { ApiResponse } from '../core/api/router'
import { routeAppUrl } from './url-policy'

/** The same headers the HTTP host sends with artifacts: shown inline, never run as a page. */
const ARTIFACT_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"

function text(status: number, message: string): Response {
  return new Response(message + '\n', {
    status,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'content-security-policy': RENDERER_CSP,
      'x-content-type-options': 'nosniff',
    },
  })
}

function fileResponse(file: string, headers: Record<string, string>): Response {
  // Node's web ReadableStream and the global Response's are the same at run time.
  const body = Readable.toWeb(createReadStream(file)) as unknown as ReadableStream<Uint8Array>
  return new Response(body, { status: 200, headers: { 'x-content-type-options': 'nosniff', ...headers } })
}

export interface AppProtocolOptions {
  rendererDir: string
  /** GET /api/artifacts/:id/content through the current core's router. */
  artifact(id: string): Promise<ApiResponse>
}

export async function handleAppRequest(request: Request, opts: AppProtocolOptions): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Method not allowed')
  const route = routeAppUrl(request.url)
  if (route.kind === 'refused') return text(404, 'Not found')

  if (route.kind === 'artifact') {
    const res = await opts.artifact(route.id)
    if (res.status !== 200 || !res.file || !existsSync(res.file.path))
      return text(res.status === 200 ? 404 : res.status, 'Artifact not found')
    return fileResponse(res.file.path, {
      'content-type': res.file.contentType,
      'content-disposition': `inline; filename="${res.file.fileName.replace(/["\\\r\n]/g, '_')}"`,
      'content-security-policy': ARTIFACT_CSP,
      'cache-control': 'no-store',
    })
  }

  let file = safeJoin(opts.rendererDir, route.path)
  if (file === null) return text(404, 'Not found')
  if (!existsSync(file) || statSync(file).isDirectory()) {
    // Client-side routes (no extension) get the app; a missing asset stays a 404.
    if (extname(route.path) !== '') return text(404, 'Not found')
    file = join(opts.rendererDir, 'index.html')
    if (!existsSync(file)) return text(503, 'The Opdesk UI is not built. Run `npm run build`, then start Opdesk again.')
  }
  return fileResponse(file, {
    'content-type': contentTypeOf(file),
    'content-security-policy': RENDERER_CSP,
    'referrer-policy': 'no-referrer',
    ...(file.endsWith('.html') ? { 'cache-control': 'no-store' } : {}),
  })
}
