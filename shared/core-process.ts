// The message protocol between a shell (Electron main, or a Node parent in tests and the
// bench) and the core running in its own process (electron/core-process/entry.ts). One
// core process holds one workspace; switching workspaces starts another process, so a
// failed open never disturbs the one in use. Messages are structured-clone data: no
// functions, and binary (screencast JPEGs, sealed secrets) as ArrayBuffers, transferred
// where the transport allows it.
import type { StreamMessage } from './api'
import type { DownMessage, FrameMessage } from './takeover'

/** What crosses for an API call: the router's request and answer, errors already mapped. */
export interface CoreApiRequest {
  method: string
  path: string
  query?: Record<string, string>
  body?: unknown
}
export interface CoreApiResponse {
  status: number
  body: unknown
  file?: { path: string; contentType: string; fileName: string }
}

export interface OpenWorkspace {
  workspaceDir: string
  demo: boolean
  migrationsDir?: string
  nativeBinding?: string
  /** The parent seals secrets (Electron safeStorage): the core asks it through `cipher` messages. */
  remoteCipher?: boolean
}
export interface OpenedWorkspace {
  dir: string
  /** The core process's pid, so a shell (and its tests) can tell it is not its own. */
  pid: number
}

/** A screencast frame without its base64 text: the JPEG travels as bytes beside it. */
export type FrameHeader = Omit<FrameMessage, 'data'>

/** Parent → core. Messages with an `id` get exactly one `reply` with the same id. */
export type ToCore =
  | { t: 'open'; id: number; req: OpenWorkspace }
  | { t: 'close'; id: number }
  | { t: 'api'; id: number; req: CoreApiRequest }
  | { t: 'takeover-attach'; id: number; viewerId: string; runId: string }
  | { t: 'takeover-up'; viewerId: string; msg: unknown }
  | { t: 'takeover-detach'; viewerId: string }
  | { t: 'cipher-reply'; id: number; ok: true; data: ArrayBuffer }
  | { t: 'cipher-reply'; id: number; ok: false; error: string }

export type CipherOp = 'encrypt' | 'decrypt'

/** Core → parent. */
export type FromCore =
  | { t: 'reply'; id: number; ok: true; value: unknown }
  | { t: 'reply'; id: number; ok: false; error: string }
  | { t: 'bus'; msg: StreamMessage }
  | { t: 'takeover-down'; viewerId: string; msg: Exclude<DownMessage, FrameMessage> }
  | { t: 'takeover-frame'; viewerId: string; frame: FrameHeader; jpeg: ArrayBuffer }
  | { t: 'cipher'; id: number; op: CipherOp; data: ArrayBuffer }

/** Copies bytes into an ArrayBuffer of their own, so it can be transferred (a Buffer's may be a shared pool). */
export function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(bytes.byteLength)
  new Uint8Array(out).set(bytes)
  return out
}
