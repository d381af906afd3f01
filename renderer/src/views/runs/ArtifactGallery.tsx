// What a run produced: screenshots as thumbnails that open in a lightbox, downloads and
// reports as links, traces with a replay (when this host serves the viewer) or the command
// to replay them locally.
import { useState } from 'react'
import type { Artifact } from '@shared/domain'
import { Lightbox, type LightboxItem } from '../../components/Lightbox'
import { artifactHref, traceViewerUrl, useTraceViewer } from '../../lib/artifacts'
import { formatBytes, formatDate } from '../../lib/format'
import { href } from '../../lib/route'

/** The file name on disk (with its extension), which is what a download should be called. */
export const fileNameOf = (a: Artifact) => a.path.split(/[\\/]/).pop() || a.name

function Meta({ a }: { a: Artifact }) {
  return (
    <span className="muted small">
      {formatBytes(a.bytes)} · {formatDate(a.createdAt)} · sha256 <code>{a.sha256.slice(0, 12)}…</code>
    </span>
  )
}

function TraceRow({ a, viewer }: { a: Artifact; viewer: boolean }) {
  return (
    <li className="artifact-row" data-testid="artifact-row" data-kind={a.kind}>
      <span className="tag">trace</span>
      <div className="row-main">
        <span>
          <a href={artifactHref(a)} download={fileNameOf(a)}>
            {fileNameOf(a)}
          </a>{' '}
          <Meta a={a} />
        </span>
        {!viewer && (
          <span className="small muted" data-testid="trace-instructions">
            To replay it, download it and run <code>npx playwright show-trace {fileNameOf(a)}</code>.
          </span>
        )}
      </div>
      {viewer && (
        <a
          className="button-link small"
          href={traceViewerUrl(a)}
          target="_blank"
          rel="noreferrer"
          data-testid="open-replay"
        >
          Open replay
        </a>
      )}
    </li>
  )
}

function FileRow({ a }: { a: Artifact }) {
  return (
    <li className="artifact-row" data-testid="artifact-row" data-kind={a.kind}>
      <span className="tag">{a.kind}</span>
      <div className="row-main">
        <span>
          <a href={artifactHref(a)} download={fileNameOf(a)}>
            {a.kind === 'report' ? `Download report ${fileNameOf(a)}` : fileNameOf(a)}
          </a>{' '}
          <Meta a={a} />
        </span>
      </div>
    </li>
  )
}

export function ArtifactGallery({ artifacts }: { artifacts: Artifact[] }) {
  const [open, setOpen] = useState<number | null>(null)
  const viewer = useTraceViewer()
  const shots = artifacts.filter((a) => a.kind === 'screenshot')
  const files = artifacts.filter((a) => a.kind !== 'screenshot')
  const items: LightboxItem[] = shots.map((a) => ({
    key: a.id,
    src: artifactHref(a),
    href: artifactHref(a),
    name: fileNameOf(a),
    alt: `Screenshot ${a.name}, captured ${formatDate(a.createdAt)}`,
  }))
  return (
    <div className="gallery-wrap">
      {shots.length > 0 && (
        <ul className="gallery" aria-label="Screenshots">
          {shots.map((a, i) => (
            <li key={a.id} data-testid="artifact-row" data-kind="screenshot">
              <button
                type="button"
                className="thumb-button"
                data-testid="screenshot-thumb"
                aria-label={`Open screenshot ${a.name} full size`}
                onClick={() => setOpen(i)}
              >
                <img className="thumb" src={artifactHref(a)} alt="" loading="lazy" />
              </button>
              <span className="small thumb-name">{a.name}</span>
            </li>
          ))}
        </ul>
      )}
      {viewer && files.some((a) => a.kind === 'trace') && (
        <p>
          <a className="button-link small" href={href.trace(files[0]!.runId)} data-testid="open-run-trace">
            Replay the whole run
          </a>{' '}
          <span className="muted small">one trace, its parts stitched together; each part is below</span>
        </p>
      )}
      {files.length > 0 && (
        <ul className="artifacts" aria-label="Files">
          {files.map((a) =>
            a.kind === 'trace' ? <TraceRow key={a.id} a={a} viewer={viewer} /> : <FileRow key={a.id} a={a} />,
          )}
        </ul>
      )}
      <Lightbox items={items} index={open} onIndex={setOpen} onClose={() => setOpen(null)} />
    </div>
  )
}
