// Checks for everything that arrives over IPC, kept free of electron imports so they are
// unit-tested in plain Node. The model is VS Code's ipcMain wrapper: a message counts only
// when it comes from the main frame of one of our windows showing our own origin — a
// sub-frame or a page that navigated elsewhere gets nothing.
import { z } from 'zod'
import type { BridgeRequest, BridgeResponse } from '../../shared/bridge'
import { artifactUrl } from './channels'
import { isAppUrl } from './url-policy'

/** The parts of an IpcMainInvokeEvent the check needs (Bruno's IpcMainLike idea). */
export interface SenderInfo {
  /** event.senderFrame?.url; undefined when the frame is gone. */
  frameUrl: string | undefined
  /** event.senderFrame?.parent === null */
  isMainFrame: boolean
  /** BrowserWindow.fromWebContents(event.sender) is one of the windows we created. */
  isOurWindow: boolean
}

export function isTrustedSender(sender: SenderInfo, appOrigins: readonly string[]): boolean {
  if (!sender.isOurWindow || !sender.isMainFrame || !sender.frameUrl) return false
  return isAppUrl(sender.frameUrl, appOrigins)
}

const MAX_QUERY_KEYS = 50

export const BridgeRequestSchema = z.strictObject({
  method: z.enum(['GET', 'POST', 'PATCH', 'DELETE']),
  path: z
    .string()
    .max(2048)
    .regex(/^\/api\/[^?#\s]*$/, 'path must start with /api/ and carry no query or fragment'),
  query: z
    .record(z.string().max(100), z.string().max(10_000))
    .refine((q) => Object.keys(q).length <= MAX_QUERY_KEYS, `at most ${MAX_QUERY_KEYS} query parameters`)
    .optional(),
  // The router validates the body against the route's own schema.
  body: z.unknown().optional(),
})

export type ParsedRequest = { ok: true; value: BridgeRequest } | { ok: false; response: BridgeResponse }

/** Errors cross the boundary as data, in the same shape the HTTP host uses. */
export function errorResponse(status: number, code: string, message: string): BridgeResponse {
  return { status, body: { error: { code, message } } }
}

export function parseBridgeRequest(raw: unknown): ParsedRequest {
  const res = BridgeRequestSchema.safeParse(raw)
  if (res.success) return { ok: true, value: res.data as BridgeRequest }
  const message = res.error.issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ')
  return { ok: false, response: errorResponse(400, 'bad_request', `Invalid request: ${message}`) }
}

export const UNTRUSTED_SENDER = errorResponse(
  401,
  'unauthorized',
  'Request refused: it did not come from an Opdesk window',
)

/** The router's answer, minus what cannot or should not cross to the renderer. */
export interface RouterAnswer {
  status: number
  body: unknown
  file?: { path: string; contentType: string; fileName: string }
}

/**
 * A file answer (artifact content) becomes a description with a URL the renderer can load;
 * the absolute path stays in main — the sandboxed renderer cannot read it anyway and it
 * would only reveal the operator's folder layout.
 */
export function toBridgeResponse(res: RouterAnswer, artifactId?: string): BridgeResponse {
  if (!res.file) return { status: res.status, body: res.body }
  const { contentType, fileName } = res.file
  return { status: res.status, body: { contentType, fileName, url: artifactId ? artifactUrl(artifactId) : null } }
}

/** The artifact id of a GET /api/artifacts/:id/content request, so its answer can carry a URL. */
export function artifactIdOf(req: BridgeRequest): string | undefined {
  const m = /^\/api\/artifacts\/([^/]+)\/content\/?$/.exec(req.path)
  if (!m?.[1]) return undefined
  try {
    return decodeURIComponent(m[1])
  } catch {
    return undefined
  }
}
