// Settings → Browser servers: the pool runs are placed on (browser.pool), each with its
// capacity and the state the engine last saw (up, down and why, or not used yet). The list
// is saved whole; the shared schema checks it before any request.
import { useId, useState, type FormEvent } from 'react'
import { SettingsPatch, type PoolEndpoint, type PoolEndpointStatus, type WorkspaceSettingsView } from '@shared/api'
import { errorMessage } from '../../api/client'
import { saveSetting, settings } from '../../stores/settings'

function problemOf(list: PoolEndpoint[]): string | null {
  const res = SettingsPatch.safeParse({ 'browser.pool': list })
  if (res.success) return null
  const issue = res.error.issues[0]
  const field = issue?.path.slice(2).join('.')
  return `${field ? `${field}: ` : ''}${issue?.message ?? 'not a valid server'}`
}

function StateBadge({ s }: { s: PoolEndpointStatus | undefined }) {
  if (!s || s.state === 'unknown')
    return (
      <span className="badge tone-neutral" data-testid="pool-endpoint-state" data-state="unknown">
        not used yet
      </span>
    )
  if (s.state === 'up')
    return (
      <span className="badge tone-good" data-testid="pool-endpoint-state" data-state="up">
        up
      </span>
    )
  return (
    <span data-testid="pool-endpoint-state" data-state="down">
      <span className="badge tone-bad">down</span> <span className="field-error">{s.reason}</span>
      {s.since && <span className="muted small"> (since {new Date(s.since).toLocaleTimeString()})</span>}
    </span>
  )
}

export function PoolSettings({ view }: { view: WorkspaceSettingsView }) {
  const id = useId()
  const list = view.settings['browser.pool'] ?? []
  const status = view.pool ?? []
  const [draft, setDraft] = useState({ name: '', endpoint: '', capacity: '1' })
  const [error, setError] = useState<string | null>(null)
  const [pending, setPending] = useState(false)

  const save = async (next: PoolEndpoint[]): Promise<boolean> => {
    const problem = problemOf(next)
    if (problem) {
      setError(problem)
      return false
    }
    setPending(true)
    try {
      await saveSetting('browser.pool', next.length ? next : null)
      setError(null)
      return true
    } catch (e) {
      setError(errorMessage(e))
      return false
    } finally {
      setPending(false)
    }
  }
  const add = async (e: FormEvent) => {
    e.preventDefault()
    const entry = { name: draft.name.trim(), endpoint: draft.endpoint.trim(), capacity: Number(draft.capacity) }
    if (await save([...list, entry])) setDraft({ name: '', endpoint: '', capacity: '1' })
  }

  return (
    <div className="pool-settings" data-testid="pool-settings">
      <h3 id={`${id}-title`}>Browser servers</h3>
      <p className="hint">
        Playwright browser servers (or any service that speaks their protocol). Runs go to the answering server with
        the most free room and wait, queued, while all are full. When any is listed, the remote browser endpoint above
        is not used.
      </p>
      {list.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby={`${id}-title`}>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Endpoint</th>
                <th scope="col" className="num">
                  Capacity
                </th>
                <th scope="col" className="num">
                  Running
                </th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((e) => {
                const s = status.find((x) => x.name === e.name && x.endpoint === e.endpoint)
                return (
                  <tr key={e.name} data-testid="pool-endpoint-row" data-name={e.name}>
                    <th scope="row">{e.name}</th>
                    <td>
                      <code>{e.endpoint}</code>
                    </td>
                    <td className="num" data-testid="pool-endpoint-capacity">
                      {e.capacity}
                    </td>
                    <td className="num">{s?.running ?? 0}</td>
                    <td>
                      <StateBadge s={s} />
                    </td>
                    <td>
                      <button
                        type="button"
                        className="small ghost"
                        disabled={pending}
                        data-testid="pool-endpoint-remove"
                        aria-label={`Remove browser server ${e.name}`}
                        onClick={() => void save(list.filter((x) => x !== e))}
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
      <form className="pool-add" aria-label="Add a browser server" noValidate onSubmit={add} data-testid="pool-endpoint-add">
        <label>
          Name
          <input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} spellCheck={false} />
        </label>
        <label>
          Endpoint
          <input
            value={draft.endpoint}
            placeholder="ws://host:port/path"
            onChange={(e) => setDraft({ ...draft, endpoint: e.target.value })}
            spellCheck={false}
          />
        </label>
        <label>
          Capacity
          <input
            type="number"
            inputMode="numeric"
            min={1}
            max={64}
            value={draft.capacity}
            onChange={(e) => setDraft({ ...draft, capacity: e.target.value })}
          />
        </label>
        <button type="submit" className="small primary" disabled={pending}>
          Add server
        </button>
        <button type="button" className="small ghost" onClick={() => void settings.load()}>
          Refresh state
        </button>
      </form>
      <p role="status" className="setting-feedback">
        {error && (
          <span className="field-error" data-testid="pool-error">
            {error}
          </span>
        )}
      </p>
    </div>
  )
}
