// Two ways to reach the one core router: the Electron preload bridge when it is there,
// same-origin HTTP (host mode) otherwise. Both answer { status, body } so the client
// above them does not care which shell it runs in.
import type { BridgeRequest, BridgeResponse } from '@shared/bridge'

export type Transport = (req: BridgeRequest) => Promise<BridgeResponse>

export const httpTransport: Transport = async (req) => {
  const qs = req.query && Object.keys(req.query).length ? `?${new URLSearchParams(req.query).toString()}` : ''
  const init: RequestInit = {
    method: req.method,
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
    cache: 'no-store',
  }
  if (req.body !== undefined) {
    init.body = JSON.stringify(req.body)
    init.headers = { ...init.headers, 'content-type': 'application/json' }
  }
  const res = await fetch(req.path + qs, init)
  const text = await res.text()
  let body: unknown = undefined
  if (text) {
    try {
      body = JSON.parse(text)
    } catch {
      // A proxy or a half-built host can answer HTML/plain text; keep it as the message.
      body = { error: { code: res.ok ? 'internal' : statusCode(res.status), message: text.slice(0, 500) } }
    }
  }
  return { status: res.status, body }
}

function statusCode(status: number): string {
  if (status === 401) return 'unauthorized'
  if (status === 404) return 'not_found'
  if (status === 409) return 'conflict'
  if (status === 400) return 'bad_request'
  return 'internal'
}

export const bridgeTransport: Transport = (req) => {
  const bridge = window.opdesk
  if (!bridge) return Promise.reject(new Error('The Opdesk bridge is not available'))
  return bridge.request(req)
}

export function defaultTransport(): Transport {
  return typeof window !== 'undefined' && window.opdesk ? bridgeTransport : httpTransport
}
