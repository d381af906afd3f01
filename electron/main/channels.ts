// The fixed names the main process and the preload agree on. Plain constants (no electron
// import) so the sandboxed preload bundle, the main process and the unit tests share them.

export const CHANNELS = {
  /** invoke: BridgeRequest → BridgeResponse (the core router). */
  request: 'opdesk:request',
  /** main → renderer push: one StreamMessage per change on the core bus. */
  stream: 'opdesk:stream',
  /** invoke: () → WorkspaceChoice | null (native folder picker, then the core reopens). */
  pickWorkspace: 'opdesk:pick-workspace',
  /** invoke: runId → { viewerId } | { error } (attach to a run's takeover session). */
  takeoverOpen: 'opdesk:takeover:open',
  /** renderer → main: { viewerId, msg } (input, acks, lease; validated by the hub). */
  takeoverUp: 'opdesk:takeover:up',
  /** renderer → main: viewerId (detach). */
  takeoverClose: 'opdesk:takeover:close',
  /** main → renderer: { viewerId, msg } (frames, status, dialogs). */
  takeoverDown: 'opdesk:takeover:down',
} as const

/** The privileged scheme the renderer is served from; one fixed host. */
export const APP_SCHEME = 'opdesk'
export const APP_HOST = 'app'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

/**
 * Artifacts are served under the app's own origin rather than a second scheme: the
 * renderer's CSP (img-src 'self') then allows them without loosening the policy.
 */
export function artifactUrl(artifactId: string): string {
  return `${APP_ORIGIN}/artifacts/${encodeURIComponent(artifactId)}`
}
