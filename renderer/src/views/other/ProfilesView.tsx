// Profiles: each persistent browser identity with the flows using it, its last use, its
// size on disk and whether it is still logged in; Check now and Log in now act on it.
import { useEffect, useState } from 'react'
import type { ProfileView } from '@shared/profiles'
import { StateBadge } from '../../components/StateBadge'
import { ResourceView } from '../../components/Status'
import { formatBytes, formatDate } from '../../lib/format'
import { href } from '../../lib/route'
import { useAction } from '../../lib/useAction'
import { checkProfile, loginProfile, profiles, useProfiles } from '../../stores/profiles'
import { ProfileCheckForm } from './ProfileCheckForm'

export function ProfilesView() {
  const { data, status, error } = useProfiles()
  const [adding, setAdding] = useState(false)
  useEffect(() => {
    void profiles.load()
  }, [])
  return (
    <section className="view" aria-labelledby="profiles-title">
      <div className="view-head">
        <h1 id="profiles-title" tabIndex={-1}>
          Profiles
        </h1>
        {!adding && (
          <button type="button" className="small" onClick={() => setAdding(true)}>
            New profile
          </button>
        )}
      </div>
      {adding && <ProfileCheckForm onDone={() => setAdding(false)} />}
      <ResourceView
        status={status}
        error={error}
        data={data}
        what="Profiles"
        isEmpty={(d) => d.length === 0}
        empty={<p>No profiles yet. A flow with a `profile:` line makes one.</p>}
        onRetry={() => void profiles.load()}
      >
        {(d) => (
          <ul className="rows">
            {d.map((p) => (
              <ProfileRow key={p.name} profile={p} />
            ))}
          </ul>
        )}
      </ResourceView>
    </section>
  )
}

function ProfileRow({ profile: p }: { profile: ProfileView }) {
  const check = useAction(() => checkProfile(p.name))
  const login = useAction(() => loginProfile(p.name))
  const [editing, setEditing] = useState(false)
  const h = p.health
  return (
    <li className={`row ${editing ? 'with-form' : ''}`} data-testid="profile-row" data-name={p.name}>
      <div className="row-main">
        <span>
          <strong>{p.name}</strong>{' '}
          <span data-testid="profile-health" data-state={h.state}>
            <StateBadge state={h.state} />
          </span>
        </span>
        {h.reason && <span className="small">{h.reason}</span>}
        <span className="muted small">
          {p.flows.length ? `Used by ${p.flows.join(', ')}` : 'No flow uses it'}
          {' · '}
          {p.lastUsedAt ? `last used ${formatDate(p.lastUsedAt)}` : 'never used'}
          {' · '}
          {p.size === null ? 'no folder' : formatBytes(p.size)}
          {h.checkedAt && ` · checked ${formatDate(h.checkedAt)}`}
          {p.check ? ` · checks ${p.check.url}` : ' · no login check set'}
          {p.loginRunId && (
            <>
              {' · '}
              <a href={href.takeover(p.loginRunId)}>login in progress</a>
            </>
          )}
        </span>
      </div>
      <button type="button" className="small" onClick={() => setEditing((e) => !e)} aria-expanded={editing}>
        {p.check ? 'Edit check' : 'Set check'}
      </button>
      {p.check && (
        <button
          type="button"
          className="small"
          disabled={check.pending || h.state === 'checking'}
          onClick={() => void check.run()}
        >
          Check now
        </button>
      )}
      {p.check && (h.state === 'stale' || h.state === 'unknown' || p.loginRunId) && (
        <button type="button" className="small primary" disabled={login.pending} onClick={() => void login.run()}>
          Log in now
        </button>
      )}
      {editing && <ProfileCheckForm name={p.name} check={p.check} onDone={() => setEditing(false)} />}
    </li>
  )
}
