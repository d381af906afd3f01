// The two invoke channels. Each handler first checks who is asking (our window, main
// frame, our origin) and what (zod), then relays to the core — main decides nothing.
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron'
import type { BridgeResponse, WorkspaceChoice } from '../../shared/bridge'
import { CHANNELS } from './channels'
import {
  artifactIdOf,
  errorResponse,
  isTrustedSender,
  parseBridgeRequest,
  toBridgeResponse,
  UNTRUSTED_SENDER,
  type RouterAnswer,
  type SenderInfo,
} from './ipc-validate'
import type { Windows } from './windows'

export interface IpcDeps {
  windows: Windows
  appOrigins: readonly string[]
  route(req: { method: string; path: string; query?: Record<string, string>; body?: unknown }): Promise<RouterAnswer>
  pickWorkspace(parent: BrowserWindow | null): Promise<WorkspaceChoice | null>
  log: (msg: string, data?: Record<string, unknown>) => void
}

function senderInfo(event: IpcMainInvokeEvent, windows: Windows): SenderInfo {
  const frame = event.senderFrame
  return {
    frameUrl: frame?.url,
    isMainFrame: frame ? frame.parent === null : false,
    isOurWindow: windows.has(BrowserWindow.fromWebContents(event.sender)),
  }
}

export function registerIpc(deps: IpcDeps): () => void {
  const trusted = (event: IpcMainInvokeEvent, channel: string) => {
    const info = senderInfo(event, deps.windows)
    if (isTrustedSender(info, deps.appOrigins)) return true
    deps.log('refused IPC from an untrusted sender', { channel, url: info.frameUrl?.slice(0, 200) })
    return false
  }

  ipcMain.handle(CHANNELS.request, async (event, raw: unknown): Promise<BridgeResponse> => {
    if (!trusted(event, CHANNELS.request)) return UNTRUSTED_SENDER
    const parsed = parseBridgeRequest(raw)
    if (!parsed.ok) return parsed.response
    try {
      const res = await deps.route(parsed.value)
      return toBridgeResponse(res, artifactIdOf(parsed.value))
    } catch (err) {
      // The router turns handler failures into data; this is "no core open" (shutdown, switch failure).
      deps.log('IPC request failed', { path: parsed.value.path, error: String(err) })
      return errorResponse(503, 'internal', err instanceof Error ? err.message : 'Opdesk is not ready')
    }
  })

  ipcMain.handle(CHANNELS.pickWorkspace, async (event): Promise<WorkspaceChoice | null> => {
    if (!trusted(event, CHANNELS.pickWorkspace))
      throw new Error('Request refused: it did not come from an Opdesk window')
    return deps.pickWorkspace(BrowserWindow.fromWebContents(event.sender))
  })

  return () => {
    ipcMain.removeHandler(CHANNELS.request)
    ipcMain.removeHandler(CHANNELS.pickWorkspace)
  }
}
