// Electron main: wiring only. The core runs in a utilityProcess (one per open workspace,
// electron/core-process/); main serves the renderer on opdesk://app/, checks and relays IPC
// to the core's router and the core's bus to the windows, seals secrets with safeStorage
// for it, and raises OS notifications. Decisions live in the core; the checks live in small
// pure modules beside this file (args, ipc-validate, url-policy, runtime-paths, attention).
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, dialog, Notification, session } from 'electron'
import { RemoteCore } from '../core-process/client'
import { consoleLogger } from '../core/log'
import { defaultWorkspaceDir, userDataDir } from '../core/paths'
import { parseAppArgs, readSecondInstanceData } from './args'
import { Attention, needsYouFromAnswer } from './attention'
import { APP_ORIGIN, CHANNELS } from './channels'
import { CoreHost, type OpenRequest } from './core-host'
import { installHardening } from './hardening'
import { registerIpc } from './ipc'
import { registerTakeoverIpc } from './takeover-ipc'
import { installMenu } from './menu'
import { registerAppScheme, serveAppProtocol } from './protocol'
import { RestartBudget } from './restart-budget'
import { safeStorageCipher } from './safe-storage'
import { preloadPath, rendererDir, resolveMigrationsDir, resolveNativeBinding, type RuntimeInfo } from './runtime-paths'
import { initialWorkspace, readSettings, settingsFile, writeSettings } from './settings'
import { appOrigins, devRendererUrl, takeoverRunIdOf } from './url-policy'
import { utilityCoreProcess } from './utility-transport'
import { Windows } from './windows'

const log = consoleLogger('opdesk-app')
const mainDir = dirname(fileURLToPath(import.meta.url))
const args = parseAppArgs(process.argv.slice(1), process.cwd())

// The app and the CLI share one user-data folder (core/paths.ts), whatever Electron would
// derive from the package name; tests pass --user-data-dir to run apps side by side.
app.setName('Opdesk')
app.setPath('userData', args.userDataDir ?? userDataDir())
registerAppScheme()
app.enableSandbox()

// additionalData is serialised across processes; leave out undefined fields.
const hasLock = app.requestSingleInstanceLock({
  demo: args.demo,
  ...(args.workspace ? { workspace: args.workspace } : {}),
})
if (!hasLock) {
  // The first instance gets our --workspace through 'second-instance' and focuses itself.
  app.quit()
} else {
  start().catch((err: unknown) => fatal('Opdesk could not start', err))
}

function fatal(title: string, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err)
  log.error(title, { error: err instanceof Error ? err.stack : message })
  dialog.showErrorBox(title, message)
  app.exit(1)
}

async function start(): Promise<void> {
  await app.whenReady()
  const runtime: RuntimeInfo = {
    isPackaged: app.isPackaged,
    mainDir,
    projectRoot: resolve(mainDir, '..', '..'),
    resourcesPath: process.resourcesPath,
    electronVersion: process.versions.electron,
  }
  const native = resolveNativeBinding(runtime)
  if (!native.ok) return fatal('Opdesk cannot start', new Error(native.message))
  const migrationsDir = resolveMigrationsDir(runtime)

  // Pages from the electron-vite dev server come without our CSP (Vite's React refresh
  // needs an inline preamble); `npm start` and packaged builds always serve opdesk://app/.
  const devUrl = devRendererUrl(process.env, app.isPackaged)
  const origins = appOrigins(devUrl)
  const windows = new Windows({ preload: preloadPath(mainDir), startUrl: devUrl ?? `${APP_ORIGIN}/` })

  const cipher = safeStorageCipher()
  // Built beside index.js by electron-vite (electron.vite.config.ts).
  const coreEntry = join(mainDir, 'core-process.js')
  const restarts = new RestartBudget()
  const openCore = async (req: OpenRequest): Promise<RemoteCore> => {
    const core = await RemoteCore.open(
      utilityCoreProcess(coreEntry),
      { ...req, migrationsDir, nativeBinding: native.path },
      { cipher },
    )
    core.onUnexpectedExit((code) => coreDied(core, req, code))
    return core
  }
  const host = new CoreHost<RemoteCore>(openCore, (err) =>
    log.warn('closing the previous workspace failed', { error: String(err) }),
  )
  /**
   * The core process died (a crash, the OS killed it). Until it is back, requests answer 503
   * with the reason; it is restarted on the same workspace (runs it was executing are marked
   * interrupted, as after any unclean stop), and the operator is told either way.
   */
  function coreDied(core: RemoteCore, req: OpenRequest, code: number | null): void {
    if (!host.isCurrent(core)) return
    log.error('the core process stopped', { code, dir: core.ws.dir })
    const tell = (message: string, detail: string) => {
      const parent = windows.mainWindow
      const opts = { type: 'error' as const, title: 'Opdesk', message, detail }
      void (parent ? dialog.showMessageBox(parent, opts) : dialog.showMessageBox(opts))
    }
    const why = `The Opdesk core process stopped${code === null ? '' : ` (exit code ${code})`}.`
    if (!restarts.take()) {
      tell('Opdesk stopped working on this workspace', `${why} It stopped several times in a minute, so it was not restarted; see the log, then reopen the workspace.`)
      return
    }
    host
      .open({ ...req, workspaceDir: core.ws.dir })
      .then(() => {
        windows.reloadAll()
        tell('Opdesk restarted its core', `${why} It was restarted; runs it was executing are marked interrupted.`)
      })
      .catch((err: unknown) => tell('Opdesk could not restart its core', `${why} ${err instanceof Error ? err.message : String(err)}`))
  }
  const userData = app.getPath('userData')
  const settingsPath = settingsFile(userData)
  const workspaceDir = initialWorkspace(args, userData, defaultWorkspaceDir(true), readSettings(settingsPath))
  await host.open({ workspaceDir, demo: args.demo })
  log.info('workspace open', { dir: host.workspaceDir })

  installHardening(session.defaultSession, {
    appOrigins: origins,
    log: (m, d) => log.warn(m, d),
    onAppWindowOpen: (url) => {
      const runId = takeoverRunIdOf(url, origins)
      if (runId) windows.openTakeover(runId)
      else windows.focusMain()
    },
  })
  serveAppProtocol(session.defaultSession, {
    rendererDir: rendererDir(mainDir),
    artifact: async (id) =>
      (await host.get()).router.handle({ method: 'GET', path: `/api/artifacts/${encodeURIComponent(id)}/content` }),
  })

  host.subscribe((msg) => windows.broadcast(CHANNELS.stream, msg))

  // Notifications hold their click handler only while referenced; keep them until closed.
  const shown = new Set<Notification>()
  const attention = new Attention({
    needsYou: async () => needsYouFromAnswer(await (await host.get()).router.handle({ method: 'GET', path: '/api/needs-you' })),
    notify: (text, item) => {
      if (!Notification.isSupported()) return
      const note = new Notification({ title: text.title, body: text.body })
      shown.add(note)
      note.on('click', () =>
        item.action === 'take-over' ? windows.openTakeover(item.runId) : windows.focusMain(),
      )
      note.on('close', () => shown.delete(note))
      note.show()
    },
    openTakeover: (runId) => windows.openTakeover(runId),
  })
  host.subscribe((msg) => {
    attention.handle(msg).catch((err: unknown) => log.warn('attention handler failed', { error: String(err) }))
  })

  /** Opens another workspace; the current one stays open if the new one fails. */
  async function switchWorkspace(dir: string, demo: boolean): Promise<string> {
    const target = resolve(dir)
    if (host.workspaceDir === target) return target
    const core = await host.open({ workspaceDir: target, demo })
    attention.reset()
    log.info('workspace open', { dir: core.ws.dir })
    // Reload a moment after the IPC reply has gone out, so the renderer sees the picker's
    // promise resolve before its page goes away.
    setTimeout(() => windows.reloadAll(), 100)
    return core.ws.dir
  }

  async function pickWorkspace(parent: BrowserWindow | null) {
    const options = {
      title: 'Open an Opdesk workspace',
      buttonLabel: 'Open workspace',
      defaultPath: host.workspaceDir,
      properties: ['openDirectory', 'createDirectory'] as Array<'openDirectory' | 'createDirectory'>,
    }
    const picked = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options)
    const dir = picked.canceled ? undefined : picked.filePaths[0]
    if (!dir) return null
    const opened = await switchWorkspace(dir, false)
    writeSettings(settingsPath, { lastWorkspace: opened })
    return { dir: opened }
  }

  registerIpc({
    windows,
    appOrigins: origins,
    route: async (req) => (await host.get()).router.handle(req),
    pickWorkspace,
    log: (m, d) => log.warn(m, d),
  })
  registerTakeoverIpc({
    windows,
    appOrigins: origins,
    // The core process names the desktop user in the audit trail (Settings' display name, else the OS user).
    attach: async (runId, viewer) => (await host.get()).takeover.attach(runId, viewer),
    log: (m, d) => log.warn(m, d),
  })
  installMenu({
    devTools: !app.isPackaged,
    onOpenWorkspace: () => {
      pickWorkspace(windows.mainWindow).catch((err: unknown) =>
        dialog.showErrorBox('Could not open that workspace', String(err)),
      )
    },
  })

  app.on('second-instance', (_event, argv, cwd, data) => {
    const wanted = readSecondInstanceData(data, argv, cwd)
    windows.focusMain()
    if (wanted.workspace) {
      switchWorkspace(wanted.workspace, wanted.demo).catch((err: unknown) =>
        dialog.showErrorBox('Could not open that workspace', err instanceof Error ? err.message : String(err)),
      )
    }
  })
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) windows.createMain()
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  // Close the database cleanly (WAL checkpoint, no hot journal) before the process exits.
  let closing = false
  app.on('will-quit', (event) => {
    if (closing) return
    closing = true
    event.preventDefault()
    host
      .close()
      .catch((err: unknown) => log.error('closing the workspace failed', { error: String(err) }))
      .finally(() => app.quit())
  })

  windows.createMain()
}
