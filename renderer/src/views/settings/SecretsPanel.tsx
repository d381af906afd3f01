// Secrets: names only ever come back from the core; the value field is write-only and
// cleared as soon as it is stored. Storing an existing name replaces its value.
import { useEffect, useRef, useState, type FormEvent } from 'react'
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
  const valueRef = useRef<HTMLInputElement>(null)
  useEffect(() => {
    void secrets.load()
  }, [])
  const save = useAction(
    async () => {
      const replacing = data?.some((s) => s.name === name) ?? false
      await call('putSecret', { body: { name, value } })
      notify(replacing ? `Secret ${name} replaced` : `Secret ${name} stored`)
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
              <li key={s.name} className="row" data-testid="secret-row" data-name={s.name}>
                <code className="row-main">{s.name}</code>
                <span className="muted small">updated {formatDate(s.updatedAt)}</span>
                <button
                  type="button"
                  className="small ghost"
                  aria-label={`Replace the value of ${s.name}`}
                  onClick={() => {
                    setName(s.name)
                    setValue('')
                    valueRef.current?.focus()
                  }}
                >
                  Replace…
                </button>
              </li>
            ))}
          </ul>
        )}
      </ResourceView>
      <p className="muted small">
        Values are encrypted at rest and never shown again; flows use them as <code>{'${secrets.NAME}'}</code>. Storing
        a name that exists replaces its value.
      </p>
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
            ref={valueRef}
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
              {data?.some((s) => s.name === name) ? 'Replace secret' : 'Store secret'}
            </button>
          </div>
        </form>
      )}
    </div>
  )
}
