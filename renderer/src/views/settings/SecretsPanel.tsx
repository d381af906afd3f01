// Secrets: names only ever come back from the core; the value field is write-only and
// cleared as soon as it is stored.
import { useEffect, useState, type FormEvent } from 'react'
import { call } from '../../api/client'
import { FormError, TextField } from '../../components/Field'
import { ResourceView } from '../../components/Status'
import { formatDate } from '../../lib/format'
import { useAction } from '../../lib/useAction'
import { notify } from '../../stores/notices'
import { createResource } from '../../stores/resource'

const secrets = createResource(() => call('listSecrets'))

export function SecretsPanel() {
  const { data, status, error } = secrets.use()
  const [name, setName] = useState('')
  const [value, setValue] = useState('')
  useEffect(() => {
    void secrets.load()
  }, [])
  const save = useAction(
    async () => {
      await call('putSecret', { body: { name, value } })
      notify(`Secret ${name} stored`)
      setName('')
      setValue('')
      await secrets.load()
    },
    { announce: false },
  )
  const submit = (e: FormEvent) => {
    e.preventDefault()
    void save.run()
  }
  return (
    <div className="panel">
      <h2>Secrets</h2>
      <ResourceView
        status={status}
        error={error}
        data={data}
        what="Secrets"
        isEmpty={(d) => d.length === 0}
        empty={<p>No secrets stored.</p>}
        onRetry={() => void secrets.load()}
      >
        {(d) => (
          <ul className="rows">
            {d.map((s) => (
              <li key={s.name} className="row">
                <code>{s.name}</code>
                <span className="muted small">updated {formatDate(s.updatedAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </ResourceView>
      {status !== 'unavailable' && (
        <form className="inline-form" onSubmit={submit} aria-label="Store a secret">
          <TextField
            label="Name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            pattern="[A-Za-z_][A-Za-z0-9_]{0,63}"
            required
          />
          <TextField
            label="Value"
            type="password"
            autoComplete="off"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            required
          />
          <FormError error={save.error} />
          <div className="form-actions">
            <button type="submit" className="primary small" disabled={save.pending}>
              Store secret
            </button>
          </div>
        </form>
      )}
    </div>
  )
}
