// The one adapter between the core process and whatever started it: Electron's
// utilityProcess (process.parentPort), a worker thread (worker_threads.parentPort) or a
// Node child_process.fork (process.send with serialization 'advanced'). The rest of the
// core process sees only post/onMessage/onGone.
import { parentPort as workerPort } from 'node:worker_threads'
import type { FromCore, ToCore } from '../../shared/core-process'

export interface ParentPort {
  /** `transfer` moves ArrayBuffers instead of copying them where the transport can (worker threads). */
  post(msg: FromCore, transfer?: ArrayBuffer[]): void
  onMessage(listener: (msg: ToCore) => void): void
  /** The parent went away (fork disconnected, worker port closed); the core should close. */
  onGone(listener: () => void): void
}

/** Electron's process.parentPort, typed here without importing electron (plain Node layer). */
interface ElectronParentPort {
  postMessage(message: unknown): void
  on(event: 'message', listener: (e: { data: unknown }) => void): void
}

export function connectParent(): ParentPort {
  const electron = (process as unknown as { parentPort?: ElectronParentPort }).parentPort
  if (electron) {
    return {
      // Electron's parentPort clones (it transfers only MessagePorts): one copy per frame.
      post: (msg) => electron.postMessage(msg),
      onMessage: (l) => electron.on('message', (e) => l(e.data as ToCore)),
      // Chromium ends a utility process with its browser process.
      onGone: () => {},
    }
  }
  if (workerPort) {
    const port = workerPort
    return {
      post: (msg, transfer) => port.postMessage(msg, transfer),
      onMessage: (l) => port.on('message', (m: ToCore) => l(m)),
      onGone: (l) => port.on('close', l),
    }
  }
  if (process.send) {
    return {
      post: (msg) => {
        // A parent that is gone cannot be told anything; onGone closes the core.
        if (process.connected) process.send!(msg)
      },
      onMessage: (l) => process.on('message', (m) => l(m as ToCore)),
      onGone: (l) => process.on('disconnect', l),
    }
  }
  throw new Error('The Opdesk core process must be started by a parent (utilityProcess, a worker or fork)')
}
