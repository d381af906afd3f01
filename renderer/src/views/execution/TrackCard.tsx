// One track. Every section is always rendered (with "none" when empty) so the card keeps
// its shape when the stream changes its contents: no layout jump under the operator. The
// sections are headed groups, not landmarks (four per card would flood the landmark list).
// Past a handful of cards they start collapsed to their head (an accordion: the title is
// the toggle, arrow keys move between titles), and the operator's choice is remembered.
import { memo, useState, type KeyboardEvent } from 'react'
import type { Track } from '@shared/domain'
import { TrackNeedAction } from '../../components/NeedsYou'
import { ProgressBar } from '../../components/ProgressBar'
import { StateBadge } from '../../components/StateBadge'
import { formatDate, orDash, percent } from '../../lib/format'
import { selectTrack, useTracks } from '../../stores/tracks'
import { setTrackOpen, useUi } from '../../stores/ui'
import { BlockerList } from './BlockerList'
import { CheckpointLane } from './CheckpointLane'
import { EditTrackForm } from './EditTrackForm'
import { LinkedContext } from './LinkedContext'
import { StepList } from './StepList'

/** What stands in the way right now, in the order an operator would clear it. */
export function currentBlocker(t: Track): string | null {
  const b = t.blockers.find((x) => x.open)
  if (b) return b.title
  const s = t.steps.find((x) => x.state === 'blocked')
  if (s) return `Step blocked: ${s.title}`
  const c = t.checkpoints.find((x) => x.state === 'failed')
  if (c) return `Checkpoint failed: ${c.title}`
  if (t.state === 'blocked') return 'A linked run failed or was blocked'
  return null
}

/** Accordion keys on a card's title: Down/Up to the next/previous card, Home/End to the ends. */
function moveBetweenTitles(e: KeyboardEvent<HTMLButtonElement>): void {
  const keys = ['ArrowDown', 'ArrowUp', 'Home', 'End']
  if (!keys.includes(e.key) || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return
  const list = e.currentTarget.closest('.tracks')
  const all = [...(list?.querySelectorAll<HTMLButtonElement>('[data-testid="track-toggle"]') ?? [])]
  const at = all.indexOf(e.currentTarget)
  const to =
    e.key === 'Home' ? 0 : e.key === 'End' ? all.length - 1 : Math.min(all.length - 1, Math.max(0, at + (e.key === 'ArrowDown' ? 1 : -1)))
  e.preventDefault()
  all[to]?.focus()
}

export const TrackCard = memo(function TrackCard({ id, collapsible = false }: { id: string; collapsible?: boolean }) {
  const t = useTracks(selectTrack(id))
  const chosen = useUi((s) => s.trackOpen[id])
  const [editing, setEditing] = useState(false)
  if (!t) return null
  const open = chosen ?? !collapsible
  const titleId = `track-${t.id}-title`
  const bodyId = `track-${t.id}-body`
  const blocker = currentBlocker(t)
  return (
    <article
      className={`card state-${t.state}${open ? '' : ' card-collapsed'}`}
      data-testid="track-card"
      data-state={t.state}
      data-track-id={t.id}
      data-open={open ? 'true' : 'false'}
      aria-labelledby={titleId}
    >
      <header className="card-head">
        <h2 id={titleId} className="card-title">
          <button
            type="button"
            className="card-toggle"
            data-testid="track-toggle"
            aria-expanded={open}
            aria-controls={open ? bodyId : undefined}
            onClick={() => setTrackOpen(t.id, !open)}
            onKeyDown={moveBetweenTitles}
          >
            <span className="card-chevron" aria-hidden="true">
              {open ? '▾' : '▸'}
            </span>
            {t.title}
          </button>
        </h2>
        <StateBadge state={t.state} testId="track-state" />
        {!open && (
          <span className="progress-text" data-testid="track-progress">
            <strong>{percent(t.progress)}</strong> · {t.coreDone}/{t.coreTotal} core steps
            {blocker && <span className="tone-text-bad"> · {blocker}</span>}
          </span>
        )}
        {/* A waiting run's Take over / Approve must not hide behind a collapsed card. */}
        {!open && <TrackNeedAction trackId={t.id} />}
        {open && !editing && (
          <button
            type="button"
            className="ghost small"
            aria-label={`Edit details of ${t.title}`}
            onClick={() => setEditing(true)}
          >
            Edit
          </button>
        )}
      </header>
      {open && (
        <div id={bodyId}>
          <CardBody t={t} blocker={blocker} editing={editing} setEditing={setEditing} />
        </div>
      )}
    </article>
  )
})

function CardBody({
  t,
  blocker,
  editing,
  setEditing,
}: {
  t: Track
  blocker: string | null
  editing: boolean
  setEditing: (v: boolean) => void
}) {
  return (
    <>
      {t.objective && <p className="objective">{t.objective}</p>}
      <div className="card-progress">
        <ProgressBar value={t.progress} label={`Progress of ${t.title}`} />
        <span className="progress-text" data-testid="track-progress">
          <strong>{percent(t.progress)}</strong> · {t.coreDone}/{t.coreTotal} core steps
        </span>
      </div>
      {editing ? (
        <EditTrackForm track={t} onClose={() => setEditing(false)} />
      ) : (
        <dl className="facts">
          <Fact label="Next action" value={orDash(t.nextAction)} testId="track-next-action" />
          <Fact label="Waiting on" value={orDash(t.waitingOn)} testId="track-waiting-on" />
          <Fact label="Owner" value={orDash(t.owner)} testId="track-owner" />
          <Fact label="Due" value={formatDate(t.due)} testId="track-due" />
          <Fact
            label="Current blocker"
            value={blocker ?? 'None'}
            testId="track-blocker"
            tone={blocker ? 'bad' : undefined}
          />
        </dl>
      )}
      <div className="card-body">
        <CheckpointLane track={t} />
        <StepList track={t} />
        <BlockerList track={t} />
        <LinkedContext track={t} />
      </div>
    </>
  )
}

function Fact({ label, value, testId, tone }: { label: string; value: string; testId: string; tone?: string }) {
  return (
    <div className={`fact ${tone ? `tone-text-${tone}` : ''}`}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  )
}
