// #/takeover/:runId — a person completes a waiting run's MFA/login prompt on the live
// page, then resumes the run. Status, URL and the wait's clock come from the session;
// Resume and Cancel go through the ordinary API.
import { useEffect, useMemo, useRef, useState } from 'react'
import { call, isApiError } from '../../api/client'
import { StateBadge } from '../../components/StateBadge'
import { resumeRefusal, runStatusSentence } from '@shared/wording'
import { href } from '../../lib/route'
import { useAction } from '../../lib/useAction'
import { closeRun, openRun, refreshRun, useRunDetail } from '../../stores/runs'
import { AssistPanel } from './AssistPanel'
import { LiveView } from './LiveView'
import { DialogOverlay, SelectOverlay } from './Overlays'
import { defaultConnector } from './transport'
import { useTakeover } from './useTakeover'
import './takeover.css'

const CONN_LABEL = {
  connecting: 'Connecting…',
  open: 'Connected',
  retrying: 'Reconnecting…',
  closed: 'Not connected',
} as const

function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs)
    return () => clearInterval(id)
  }, [everyMs])
  return now
}

function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const ss = String(s % 60).padStart(2, '0')
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}

/** A fresh screen per run: connection state never leaks from one run to the next. */
export function TakeoverView({ runId }: { runId: string }) {
  return <TakeoverScreen key={runId} runId={runId} />
}

function TakeoverScreen({ runId }: { runId: string }) {
  const connector = useMemo(() => defaultConnector(), [])
  const t = useTakeover(runId, connector)
  const { run, events } = useRunDetail()
  const now = useNow(1_000)
  const [refusal, setRefusal] = useState<string | null>(null)
  const [confirmCancel, setConfirmCancel] = useState(false)
  const controls = useRef<HTMLDivElement>(null)

  useEffect(() => {
    void openRun(runId)
    return closeRun
  }, [runId])

  const s = t.status
  const runStatus = (t.conn === 'open' && s?.runStatus) || run?.status || 'unknown'
  const waiting = runStatus === 'waiting-mfa'
  const assisting = runStatus === 'waiting-assist'
  const someoneElse = !!s?.lease && s.lease !== s.you

  const resume = useAction(async (force: boolean) => {
    setRefusal(null)
    // Hand the lease back first, so the session writes its input counts before takeover.ended.
    await t.release()
    try {
      await call('resumeRun', { params: { id: runId }, body: force ? { force: true } : {} })
    } catch (e) {
      // 409: the engine still sees the prompt (or the run moved on); say so, offer to force.
      if (isApiError(e) && e.status === 409) return setRefusal(e.message)
      throw e
    }
    await refreshRun(runId)
  })
  const cancel = useAction(async () => {
    setConfirmCancel(false)
    await call('cancelRun', { params: { id: runId } })
    await refreshRun(runId)
  })

  useEffect(() => {
    if (!t.error) return
    const id = setTimeout(t.clearError, 5_000)
    return () => clearTimeout(id)
  }, [t.error, t.clearError])

  const since = s?.waitingSince ? Date.parse(s.waitingSince) : null
  const deadline = s?.timeoutAt ? Date.parse(s.timeoutAt) : null

  return (
    <section className="view takeover-page" aria-labelledby="takeover-title">
      <div className="view-head">
        <h1 id="takeover-title" tabIndex={-1}>
          Takeover{run?.flowName ? `: ${run.flowName}` : ''}
        </h1>
        <a href={href.run(runId)}>Run details</a>
      </div>

      <div className="takeover-meta">
        <p
          data-testid="takeover-status"
          data-status={runStatus}
          data-live={s?.live ? 'true' : 'false'}
          data-control={t.hasControl ? 'true' : 'false'}
          aria-live="polite"
        >
          <StateBadge state={runStatus} />{' '}
          <span className="muted small">
            {CONN_LABEL[t.conn]}
            {s?.live
              ? t.hasControl
                ? ' · you have control'
                : someoneElse
                  ? ` · ${s.leaseBy ?? 'someone'} has control`
                  : ' · watching'
              : ''}
          </span>
        </p>
        {(waiting || assisting) && since !== null && (
          <p className="takeover-timer" data-testid="takeover-timer">
            Waiting {clock(now - since)}
            {deadline !== null && <> · {clock(deadline - now)} left before the run fails</>}
          </p>
        )}
      </div>
      {s?.url && (
        <p className="takeover-url" data-testid="takeover-url" title={s.url}>
          {s.popup && <span className="tag">popup</span>} {s.url}
        </p>
      )}

      {assisting && <AssistPanel runId={runId} events={events} beforeDecide={t.release} />}

      <div className="takeover-actions" ref={controls}>
        {s?.live &&
          (t.hasControl ? (
            <button type="button" onClick={() => void t.release()}>
              Release control
            </button>
          ) : (
            <button type="button" disabled={someoneElse} onClick={() => t.send({ type: 'lease', want: true })}>
              Take control
            </button>
          ))}
        {!assisting && (
          <button
            type="button"
            className="primary"
            data-testid="takeover-resume"
            disabled={!waiting || resume.pending}
            onClick={() => void resume.run(false)}
          >
            Resume run
          </button>
        )}
        {refusal && waiting && (
          <button type="button" className="danger" disabled={resume.pending} onClick={() => void resume.run(true)}>
            Force resume
          </button>
        )}
        {confirmCancel ? (
          <>
            <button type="button" className="danger" disabled={cancel.pending} onClick={() => void cancel.run()}>
              Cancel the run
            </button>
            <button type="button" className="ghost" onClick={() => setConfirmCancel(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button
            type="button"
            className="ghost"
            disabled={!['running', 'waiting-mfa', 'waiting-approval', 'waiting-assist', 'queued'].includes(runStatus)}
            onClick={() => setConfirmCancel(true)}
          >
            Cancel run…
          </button>
        )}
      </div>
      {refusal && waiting && (
        <p className="callout" role="alert" data-testid="takeover-refusal">
          {resumeRefusal(refusal, { canForce: true })}
        </p>
      )}
      {t.error && (
        <p className="muted small" role="status">
          {t.error.message}
        </p>
      )}
      {t.conn === 'closed' && t.connDetail && <p className="callout">{t.connDetail}</p>}
      {!waiting && !assisting && runStatus !== 'unknown' && (
        <p className="muted">
          {runStatus === 'running'
            ? 'The run has resumed; the page is the engine’s again.'
            : `${runStatusSentence(runStatus)}; no person is needed now.`}
        </p>
      )}

      <div className="takeover-stage">
        <LiveView
          t={t}
          onLeave={() => controls.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus()}
        />
        {s?.live && t.dialog && (
          <DialogOverlay
            key={t.dialog.id}
            info={t.dialog}
            send={t.send}
            canAnswer={!someoneElse}
            ensureLease={t.ensureLease}
          />
        )}
        {s?.live && t.select && t.hasControl && (
          <SelectOverlay key={t.select.id} info={t.select} send={t.send} canAnswer ensureLease={t.ensureLease} />
        )}
      </div>
      <p className="muted small">
        Click into the page to take control. Keys go to the page; paste with{' '}
        {navigator.platform.includes('Mac') ? '⌘' : 'Ctrl+'}V; Shift+Esc leaves the page.
      </p>
    </section>
  )
}
