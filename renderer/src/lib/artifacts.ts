// Where the renderer loads an artifact's bytes from, and whether a trace can be replayed here.
import { useEffect, useState } from 'react'
import type { Artifact } from '@shared/domain'

export function artifactHref(a: Pick<Artifact, 'id'>): string {
  // Electron serves bytes through its privileged scheme; host mode over the API route.
  return window.opdesk ? window.opdesk.artifactUrl(a.id) : `/api/artifacts/${encodeURIComponent(a.id)}/content`
}

/** Where host mode serves Playwright's trace viewer (playwright-core's static build). */
export const TRACE_VIEWER_PATH = '/trace-viewer/'

let viewerProbe: Promise<boolean> | null = null

/**
 * Whether this host serves the trace viewer. The viewer needs http(s) and a service worker,
 * so the Electron scheme cannot host it; in host mode an unknown path answers the app's own
 * index.html, so only a JavaScript answer for the worker counts.
 */
export function traceViewerAvailable(): Promise<boolean> {
  if (window.opdesk || !/^https?:$/.test(window.location.protocol)) return Promise.resolve(false)
  viewerProbe ??= fetch(`${TRACE_VIEWER_PATH}sw.bundle.js`, { method: 'HEAD', cache: 'no-store' })
    .then((r) => r.ok && /javascript/.test(r.headers.get('content-type') ?? ''))
    .catch(() => false)
  return viewerProbe
}

export function traceViewerUrl(a: Pick<Artifact, 'id'>): string {
  const trace = new URL(artifactHref(a), window.location.origin).href
  return `${TRACE_VIEWER_PATH}index.html?trace=${encodeURIComponent(trace)}`
}

/** The viewer on the run's one trace (its segments stitched by GET /api/runs/:id/trace). */
export function runTraceViewerUrl(runId: string): string {
  const trace = new URL(`/api/runs/${encodeURIComponent(runId)}/trace`, window.location.origin).href
  return `${TRACE_VIEWER_PATH}index.html?trace=${encodeURIComponent(trace)}`
}

export function useTraceViewer(): boolean {
  const [ok, setOk] = useState(false)
  useEffect(() => {
    let live = true
    void traceViewerAvailable().then((v) => live && setOk(v))
    return () => {
      live = false
    }
  }, [])
  return ok
}
