// Screencast frames leave the core process as bytes: CDP hands us base64, which is decoded
// once, straight into an ArrayBuffer of exactly the JPEG's size, so the transport can move
// it (a worker transfers it; Electron's parentPort clones it once) and nobody re-encodes.
import type { FrameHeader } from '../../shared/core-process'
import type { FrameMessage } from '../../shared/takeover'

export function decodeBase64(b64: string): ArrayBuffer {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0
  const out = new ArrayBuffer(Math.max(0, Math.floor((b64.length * 3) / 4) - pad))
  const written = Buffer.from(out).write(b64, 'base64')
  return written === out.byteLength ? out : out.slice(0, written)
}

export function splitFrame(msg: FrameMessage): { frame: FrameHeader; jpeg: ArrayBuffer } {
  const { data, ...frame } = msg
  return { frame, jpeg: decodeBase64(data) }
}

/** The frame a viewer in the parent receives: bytes in `jpeg`, no base64 text. */
export function joinFrame(frame: FrameHeader, jpeg: ArrayBuffer): FrameMessage {
  return { ...frame, data: '', jpeg: new Uint8Array(jpeg) }
}
