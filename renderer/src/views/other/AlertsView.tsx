import { useEffect } from 'react'
import type { Alert } from '@shared/domain'
import { NeedsYouAction } from '../../components/NeedsYou'
import { ResourceView } from '../../components/Status'
import { formatDate } from '../../lib/format'
import { href } from '../../lib/route'
import { useAction } from '../../lib/useAction'
import { acknowledge, alerts, setAlertFilter, useAlertFilter, useAlerts } from '../../stores/alerts'

export function AlertsView() {
  const { data, status, error } = useAlerts()
  const showAll = useAlertFilter((s) => s.showAll)
  useEffect(() => {
    void alerts.load()
  }, [])
  return (
    <section className="view" aria-labelledby="alerts-title">
      <div className="view-head">
        <h1 id="alerts-title" tabIndex={-1}>
          Alerts
        </h1>
        <label className="check">
          <input type="checkbox" checked={showAll} onChange={(e) => setAlertFilter(e.target.checked)} /> Include
          acknowledged
        </label>
      </div>
      <ResourceView
        status={status}
        error={error}
        data={data}
        what="Alerts"
        isEmpty={(d) => d.length === 0}
        empty={<p>{showAll ? 'No alerts.' : 'No open alerts. All quiet.'}</p>}
        onRetry={() => void alerts.load()}
      >
        {(d) => (
          <ul className="rows">
            {d.map((a) => (
              <AlertRow key={a.id} alert={a} />
            ))}
          </ul>
        )}
      </ResourceView>
    </section>
  )
}

function AlertRow({ alert: a }: { alert: Alert }) {
  const ack = useAction(() => acknowledge(a.id))
  return (
    <li
      className={`row ${a.ackedAt ? 'acked' : ''}`}
      data-testid="alert-row"
      data-kind={a.kind}
      data-acked={a.ackedAt ? 'true' : 'false'}
    >
      <div className="row-main">
        <span>
          <span className="tag">{a.kind}</span> {a.message}
        </span>
        <span className="muted small">
          {formatDate(a.createdAt)}
          {a.runId && (
            <>
              {' · '}
              <a href={href.run(a.runId)}>run {a.runId}</a>
            </>
          )}
          {a.ackedAt && ` · acknowledged ${formatDate(a.ackedAt)}`}
        </span>
      </div>
      {!a.ackedAt && <NeedsYouAction runId={a.runId} />}
      {!a.ackedAt && (
        <button type="button" className="small" disabled={ack.pending} onClick={() => void ack.run()}>
          Acknowledge
        </button>
      )}
    </li>
  )
}
