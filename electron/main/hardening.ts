// Electron's security checklist, applied to every webContents and session we have: no
// navigation away from the app, no new windows (http(s) links go to the OS browser), no
// <webview>, no permissions.
import { app, shell, type Session, type WebContents } from 'electron'
import { isAppUrl, isSafeExternalUrl } from './url-policy'

export interface HardeningOptions {
  appOrigins: readonly string[]
  log: (msg: string, data?: Record<string, unknown>) => void
  /** window.open of one of our own URLs (a takeover link): main decides what to show. */
  onAppWindowOpen(url: string): void
}

function hardenContents(contents: WebContents, opts: HardeningOptions): void {
  contents.on('will-attach-webview', (event) => event.preventDefault())
  const refuseForeign = (event: { preventDefault(): void }, url: string, what: string) => {
    if (isAppUrl(url, opts.appOrigins)) return
    event.preventDefault()
    opts.log(`refused ${what}`, { url: url.slice(0, 200) })
  }
  contents.on('will-navigate', (event) => refuseForeign(event, event.url, 'navigation'))
  contents.on('will-redirect', (event) => refuseForeign(event, event.url, 'redirect'))
  contents.setWindowOpenHandler(({ url }) => {
    if (isAppUrl(url, opts.appOrigins)) {
      opts.onAppWindowOpen(url)
    } else if (isSafeExternalUrl(url)) {
      // Looked up at call time so tests can stub shell.openExternal.
      shell.openExternal(url).catch((err: unknown) => opts.log('could not open link', { error: String(err) }))
    } else {
      opts.log('refused window.open', { url: url.slice(0, 200) })
    }
    return { action: 'deny' }
  })
}

function hardenSession(ses: Session): void {
  // Nothing in Opdesk needs camera, microphone, geolocation, notifications from the page
  // (main raises those) or clipboard reads; deny them all.
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
}

/** Call once, before the first window: covers the default session and any created later. */
export function installHardening(defaultSession: Session, opts: HardeningOptions): void {
  hardenSession(defaultSession)
  app.on('session-created', hardenSession)
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, opts))
}
