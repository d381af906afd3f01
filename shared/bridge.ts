// The preload bridge the Electron renderer sees as `window.opdesk`. In host mode it is
// absent and the renderer talks HTTP to the same router instead.
import type { StreamMessage } from './api'
import type { DownMessage } from './takeover'
import type { UpMessageIn } from './takeover-schema'

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

export type TakeoverConnState = 'connecting' | 'open' | 'retrying' | 'closed'

/** One viewer of a run's live takeover session, relayed by the main process. */
export interface BridgeTakeoverChannel {
  send(msg: UpMessageIn): void
  close(): void
}

export interface OpdeskBridge {
  /** Calls the core router exactly as an HTTP request would. */
  request(req: BridgeRequest): Promise<BridgeResponse>
  /** Live change notifications; returns its unsubscribe. */
  subscribe(listener: (msg: StreamMessage) => void): () => void
  /** Native folder picker; resolves null when the person cancels. */
  pickWorkspace(): Promise<WorkspaceChoice | null>
  /** URL the renderer may load an artifact's bytes from (opdesk://app/artifacts/ID). */
  artifactUrl(artifactId: string): string
  /**
   * Attaches to a waiting run's takeover session: frames and status come to onMessage,
   * input goes out through send. Main checks the sender and each message's shape.
   */
  takeover(
    runId: string,
    onMessage: (msg: DownMessage) => void,
    onState?: (state: TakeoverConnState, detail?: string) => void,
  ): BridgeTakeoverChannel
  readonly platform: string
}

declare global {
  interface Window {
    opdesk?: OpdeskBridge
  }
}
