// Our windows: the console and one takeover window per waiting run. Every window gets the
// same locked-down webPreferences; the set of windows we created is what IPC sender
// validation checks against.
import { BrowserWindow } from 'electron'

export interface WindowOptions {
  preload: string
  /** opdesk://app/ or, in dev, the electron-vite server URL. */
  startUrl: string
}

export class Windows {
  private readonly all = new Set<BrowserWindow>()
  private main: BrowserWindow | null = null
  private readonly takeovers = new Map<string, BrowserWindow>()

  constructor(private readonly opts: WindowOptions) {}

  has(win: BrowserWindow | null): boolean {
    return win !== null && this.all.has(win)
  }

  private create(title: string, url: string, size: { width: number; height: number }): BrowserWindow {
    const win = new BrowserWindow({
      ...size,
      minWidth: 720,
      minHeight: 480,
      title,
      show: false,
      backgroundColor: '#111318',
      // Written out literally (not built by a helper) so a reviewer and the Electronegativity
      // scan in CI both see every switch at the point where the window is made.
      webPreferences: {
        preload: this.opts.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInSubFrames: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        spellcheck: false,
        // Middle-click would otherwise open links in a new window, bypassing setWindowOpenHandler.
        disableBlinkFeatures: 'Auxclick',
      },
    })
    this.all.add(win)
    win.once('ready-to-show', () => win.show())
    win.on('closed', () => this.all.delete(win))
    void win.loadURL(url)
    return win
  }

  createMain(): BrowserWindow {
    if (this.main && !this.main.isDestroyed()) return this.main
    const win = this.create('Opdesk', this.opts.startUrl, { width: 1360, height: 880 })
    this.main = win
    win.on('closed', () => {
      if (this.main === win) this.main = null
    })
    return win
  }

  focusMain(): void {
    const win = this.main && !this.main.isDestroyed() ? this.main : this.createMain()
    if (win.isMinimized()) win.restore()
    win.show()
    win.focus()
  }

  /** The main window, if one is open (for dialogs). */
  get mainWindow(): BrowserWindow | null {
    return this.main && !this.main.isDestroyed() ? this.main : null
  }

  /** A focused window on the run's takeover view; an existing one is brought forward. */
  openTakeover(runId: string): BrowserWindow {
    const existing = this.takeovers.get(runId)
    if (existing && !existing.isDestroyed()) {
      if (existing.isMinimized()) existing.restore()
      existing.focus()
      return existing
    }
    const url = `${this.opts.startUrl}#/takeover/${encodeURIComponent(runId)}`
    const win = this.create(`Opdesk takeover — ${runId}`, url, { width: 1320, height: 900 })
    this.takeovers.set(runId, win)
    win.once('ready-to-show', () => win.focus())
    win.on('closed', () => {
      if (this.takeovers.get(runId) === win) this.takeovers.delete(runId)
    })
    return win
  }

  broadcast(channel: string, payload: unknown): void {
    for (const win of this.all) {
      if (!win.isDestroyed() && !win.webContents.isDestroyed()) win.webContents.send(channel, payload)
    }
  }

  /** After a workspace switch: takeovers belong to the old workspace, the console reloads. */
  reloadAll(): void {
    for (const win of this.takeovers.values()) if (!win.isDestroyed()) win.close()
    this.takeovers.clear()
    const main = this.mainWindow
    if (main) main.webContents.reload()
    else this.createMain()
  }
}
