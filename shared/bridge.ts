// The preload bridge the Electron renderer sees as `window.opdesk`. In host mode it is
// absent and the renderer talks HTTP to the same router instead.
import type { StreamMessage } from './api'

export interface BridgeRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  path: string
  query?: Record<string, string>
  body?: unknown
}

export interface BridgeResponse {
  status: number
  body: unknown
}

export interface WorkspaceChoice {
  dir: string
}

export interface OpdeskBridge {
  /** Calls the core router exactly as an HTTP request would. */
  request(req: BridgeRequest): Promise<BridgeResponse>
  /** Live change notifications; returns its unsubscribe. */
  subscribe(listener: (msg: StreamMessage) => void): () => void
  /** Native folder picker; resolves null when the person cancels. */
  pickWorkspace(): Promise<WorkspaceChoice | null>
  /** URL the renderer may load an artifact's bytes from (a privileged opdesk-artifact: URL). */
  artifactUrl(artifactId: string): string
  readonly platform: string
}

declare global {
  interface Window {
    opdesk?: OpdeskBridge
  }
}
