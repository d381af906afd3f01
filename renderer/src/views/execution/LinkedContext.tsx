import type { Track } from '@shared/domain'
import { href } from '../../lib/route'

export function LinkedContext({ track }: { track: Track }) {
  const l = track.linked
  const headingId = `track-${track.id}-linked`
  const next = l.nextCheckpoint
  return (
    <div className="card-section area-linked" role="group" aria-labelledby={headingId}>
      <h3 id={headingId}>Linked context</h3>
      <dl className="linked" data-testid="track-linked">
        <div>
          <dt>Approvals</dt>
          <dd>
            {l.approvals > 0 ? (
              <a href={href.approvals} aria-label={`${l.approvals} approvals of ${track.title}`}>
                {l.approvals}
              </a>
            ) : (
              0
            )}
          </dd>
        </div>
        <div>
          <dt>Alerts</dt>
          <dd>
            {l.alerts > 0 ? (
              <a href={href.alerts} aria-label={`${l.alerts} alerts of ${track.title}`}>
                {l.alerts}
              </a>
            ) : (
              0
            )}
          </dd>
        </div>
        <div>
          <dt>Browser runs</dt>
          <dd>
            {l.browserRuns > 0 ? (
              <a href={href.trackRuns(track.id)} aria-label={`${l.browserRuns} browser runs of ${track.title}`}>
                {l.browserRuns}
              </a>
            ) : (
              0
            )}
          </dd>
        </div>
        <div>
          <dt>Run records</dt>
          <dd>
            {l.runRecords > 0 ? (
              <a href={href.trackRuns(track.id)} aria-label={`${l.runRecords} run records of ${track.title}`}>
                {l.runRecords}
              </a>
            ) : (
              0
            )}
          </dd>
        </div>
        <div className="linked-next">
          <dt>Next checkpoint</dt>
          <dd data-testid="track-next-checkpoint">{next ? `${next.title} (${next.kind}, ${next.state})` : 'None'}</dd>
        </div>
      </dl>
    </div>
  )
}
