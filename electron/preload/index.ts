// The sandboxed preload: exposes exactly the OpdeskBridge of shared/bridge.ts as
// window.opdesk. Only fixed channel names are used and ipcRenderer itself never crosses
// the bridge (nor does an IpcRendererEvent, whose `sender` is the ipcRenderer). This file
// is bundled to CommonJS (sandboxed preloads cannot load ES modules) and may import
// nothing but electron and our own constants.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { StreamMessage } from '../../shared/api'
import type { BridgeRequest, BridgeResponse, BridgeTakeoverChannel, OpdeskBridge, TakeoverConnState, WorkspaceChoice } from '../../shared/bridge'
import type { DownMessage } from '../../shared/takeover'
import type { UpMessageIn } from '../../shared/takeover-schema'
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

  takeover(
    runId: string,
    onMessage: (msg: DownMessage) => void,
    onState?: (state: TakeoverConnState, detail?: string) => void,
  ): BridgeTakeoverChannel {
    if (typeof onMessage !== 'function') throw new TypeError('takeover needs a message listener')
    let viewerId: string | null = null
    let closed = false
    const queued: UpMessageIn[] = []
    const onDown = (_event: IpcRendererEvent, data: { viewerId: string; msg: DownMessage }) => {
      if (data?.viewerId === viewerId) onMessage(data.msg)
    }
    ipcRenderer.on(CHANNELS.takeoverDown, onDown)
    onState?.('connecting')
    void (ipcRenderer.invoke(CHANNELS.takeoverOpen, String(runId)) as Promise<{ viewerId?: string; error?: string }>).then(
      (res) => {
        if (closed) {
          if (res.viewerId) ipcRenderer.send(CHANNELS.takeoverClose, res.viewerId)
          return
        }
        if (!res.viewerId) {
          ipcRenderer.removeListener(CHANNELS.takeoverDown, onDown)
          onState?.('closed', res.error ?? 'The live view is not available')
          return
        }
        viewerId = res.viewerId
        onState?.('open')
        for (const msg of queued.splice(0)) ipcRenderer.send(CHANNELS.takeoverUp, { viewerId, msg })
      },
      (err: unknown) => onState?.('closed', String(err)),
    )
    return {
      send(msg: UpMessageIn) {
        if (closed) return
        // Structured clone drops anything but data; main and the hub validate the rest.
        if (viewerId) ipcRenderer.send(CHANNELS.takeoverUp, { viewerId, msg })
        else queued.push(msg)
      },
      close() {
        if (closed) return
        closed = true
        ipcRenderer.removeListener(CHANNELS.takeoverDown, onDown)
        if (viewerId) ipcRenderer.send(CHANNELS.takeoverClose, viewerId)
        onState?.('closed')
      },
    }
  },

  platform: process.platform,
}

contextBridge.exposeInMainWorld('opdesk', bridge)
