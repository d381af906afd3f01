// The sandboxed preload: exposes exactly the OpdeskBridge of shared/bridge.ts as
// window.opdesk. Only fixed channel names are used and ipcRenderer itself never crosses
// the bridge (nor does an IpcRendererEvent, whose `sender` is the ipcRenderer). This file
// is bundled to CommonJS (sandboxed preloads cannot load ES modules) and may import
// nothing but electron and our own constants.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { StreamMessage } from '../../shared/api'
import type { BridgeRequest, BridgeResponse, OpdeskBridge, WorkspaceChoice } from '../../shared/bridge'
import { artifactUrl, CHANNELS } from '../main/channels'

const bridge: OpdeskBridge = {
  request(req: BridgeRequest): Promise<BridgeResponse> {
    // Main validates the shape again; copying here drops anything a page added to the object.
    const { method, path, query, body } = req
    return ipcRenderer.invoke(CHANNELS.request, { method, path, query, body }) as Promise<BridgeResponse>
  },

  subscribe(listener: (msg: StreamMessage) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('subscribe needs a function')
    const handler = (_event: IpcRendererEvent, msg: StreamMessage) => listener(msg)
    ipcRenderer.on(CHANNELS.stream, handler)
    let active = true
    return () => {
      if (!active) return
      active = false
      ipcRenderer.removeListener(CHANNELS.stream, handler)
    }
  },

  pickWorkspace(): Promise<WorkspaceChoice | null> {
    return ipcRenderer.invoke(CHANNELS.pickWorkspace) as Promise<WorkspaceChoice | null>
  },

  artifactUrl(artifactId: string): string {
    return artifactUrl(String(artifactId))
  },

  platform: process.platform,
}

contextBridge.exposeInMainWorld('opdesk', bridge)
