// Registers opdesk://app/. A custom scheme instead of file:// gives the page a real origin
// (so CSP 'self', fetch and the IPC sender check mean something) and lets us refuse any
// path outside the renderer build; app-protocol.ts holds what it answers.
import { protocol, type Session } from 'electron'
import { handleAppRequest, type AppProtocolOptions } from './app-protocol'
import { APP_SCHEME } from './channels'

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ])
}

export function serveAppProtocol(ses: Session, opts: AppProtocolOptions): void {
  ses.protocol.handle(APP_SCHEME, (request) => handleAppRequest(request, opts))
}
