// The takeover view's live page in the desktop app: the same hub as host mode's WebSocket,
// in the core process, relayed over IPC. Main checks who is asking (our window, main frame,
// our origin) and the run id; each message's shape is checked by the hub. Frames come as
// JPEG bytes (FrameMessage.jpeg) and go to the window as they are. Viewers die with their window.
import { randomUUID } from 'node:crypto'
import { BrowserWindow, ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron'
import type { DownMessage } from '../../shared/takeover'
import { CHANNELS } from './channels'
import { isTrustedSender } from './ipc-validate'
import type { Windows } from './windows'

export interface TakeoverViewerHandle {
  handle(msg: unknown): void
  detach(): void
}

export interface TakeoverIpcDeps {
  windows: Windows
  appOrigins: readonly string[]
  attach(runId: string, viewer: { id: string; by: string; send(msg: DownMessage): void }): Promise<TakeoverViewerHandle>
  log: (msg: string, data?: Record<string, unknown>) => void
}

const RUN_ID = /^[A-Za-z0-9_-]{1,100}$/
const VIEWER_ID = /^[0-9a-f-]{36}$/

export function registerTakeoverIpc(deps: TakeoverIpcDeps): () => void {
  const viewers = new Map<string, { handle: TakeoverViewerHandle; contents: WebContents }>()
  const trusted = (event: IpcMainInvokeEvent | IpcMainEvent) => {
    const frame = event.senderFrame
    return isTrustedSender(
      {
        frameUrl: frame?.url,
        isMainFrame: frame ? frame.parent === null : false,
        isOurWindow: deps.windows.has(BrowserWindow.fromWebContents(event.sender)),
      },
      deps.appOrigins,
    )
  }
  const drop = (viewerId: string) => {
    const v = viewers.get(viewerId)
    if (!v) return
    viewers.delete(viewerId)
    v.handle.detach()
  }

  ipcMain.handle(CHANNELS.takeoverOpen, async (event, runId: unknown) => {
    if (!trusted(event)) {
      deps.log('refused takeover from an untrusted sender')
      return { error: 'Refused: not an Opdesk window' }
    }
    if (typeof runId !== 'string' || !RUN_ID.test(runId)) return { error: 'Not a run id' }
    const contents = event.sender
    const viewerId = randomUUID()
    try {
      const handle = await deps.attach(runId, {
        id: viewerId,
        by: 'operator',
        send: (msg) => {
          if (!contents.isDestroyed()) contents.send(CHANNELS.takeoverDown, { viewerId, msg })
        },
      })
      viewers.set(viewerId, { handle, contents })
      contents.once('destroyed', () => drop(viewerId))
      return { viewerId }
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err) }
    }
  })

  ipcMain.on(CHANNELS.takeoverUp, (event, raw: unknown) => {
    const { viewerId, msg } = (raw ?? {}) as { viewerId?: unknown; msg?: unknown }
    if (typeof viewerId !== 'string' || !VIEWER_ID.test(viewerId)) return
    const v = viewers.get(viewerId)
    // A viewer id only works from the window that opened it.
    if (!v || v.contents !== event.sender || !trusted(event)) return
    v.handle.handle(msg)
  })

  ipcMain.on(CHANNELS.takeoverClose, (event, viewerId: unknown) => {
    if (typeof viewerId !== 'string') return
    const v = viewers.get(viewerId)
    if (v && v.contents === event.sender) drop(viewerId)
  })

  return () => {
    ipcMain.removeHandler(CHANNELS.takeoverOpen)
    ipcMain.removeAllListeners(CHANNELS.takeoverUp)
    ipcMain.removeAllListeners(CHANNELS.takeoverClose)
    for (const id of [...viewers.keys()]) drop(id)
  }
}
