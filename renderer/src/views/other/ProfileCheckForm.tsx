// Sets a profile's login check: the page to open, what "logged in" means there, where a
// person logs in, and how often to check. Creates the profile when the name is new.
import { useState, type FormEvent } from 'react'
import type { LoginCondition, ProfileCheck } from '@shared/profiles'
import { FormError, SelectField, TextField } from '../../components/Field'
import { useAction } from '../../lib/useAction'
import { saveProfileCheck } from '../../stores/profiles'

const KINDS = ['selector', 'text', 'not the login page'] as const
type Kind = (typeof KINDS)[number]

function kindOf(when: LoginCondition | undefined): Kind {
  if (!when || 'selector' in when) return 'selector'
  return 'text' in when ? 'text' : 'not the login page'
}

function valueOf(when: LoginCondition | undefined): string {
  if (!when) return ''
  return 'selector' in when ? when.selector : 'text' in when ? when.text : when.notUrl
}

export function ProfileCheckForm({
  name: initialName,
  check,
  onDone,
}: {
  name?: string
  check?: ProfileCheck | null
  onDone: () => void
}) {
  const [name, setName] = useState(initialName ?? '')
  const [url, setUrl] = useState(check?.url ?? '')
  const [kind, setKind] = useState<Kind>(kindOf(check?.when))
  const [value, setValue] = useState(valueOf(check?.when))
  const [loginUrl, setLoginUrl] = useState(check?.loginUrl ?? '')
  const [every, setEvery] = useState(check?.intervalMinutes ? String(check.intervalMinutes) : '')
  const save = useAction(async () => {
    const when: LoginCondition =
      kind === 'selector' ? { selector: value } : kind === 'text' ? { text: value } : { notUrl: value }
    await saveProfileCheck(name, {
      url,
      when,
      loginUrl: loginUrl || null,
      intervalMinutes: every ? Number(every) : null,
      leadMinutes: check?.leadMinutes ?? null,
    })
    onDone()
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    void save.run()
  }
  return (
    <form
      className="inline-form"
      onSubmit={submit}
      aria-label={initialName ? `Login check of ${initialName}` : 'New profile'}
    >
      {!initialName && (
        <TextField
          label="Profile name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          pattern="[A-Za-z0-9][A-Za-z0-9._\-]{0,63}"
          required
        />
      )}
      <TextField label="Check page" type="url" value={url} onChange={(e) => setUrl(e.target.value)} required />
      <SelectField
        label="Logged in when"
        options={KINDS}
        value={kind}
        onChange={(e) => setKind(e.target.value as Kind)}
      />
      <TextField
        label={
          kind === 'selector' ? 'Selector (visible)' : kind === 'text' ? 'Text (visible)' : 'Login page (url glob)'
        }
        value={value}
        onChange={(e) => setValue(e.target.value)}
        required
      />
      <TextField
        label="Login page"
        hint="Where Log in now opens (default: the check page)"
        type="url"
        value={loginUrl}
        onChange={(e) => setLoginUrl(e.target.value)}
      />
      <TextField
        label="Check every (minutes)"
        hint="Empty: only on demand and before scheduled runs"
        type="number"
        min={1}
        inputMode="numeric"
        value={every}
        onChange={(e) => setEvery(e.target.value)}
      />
      <FormError error={save.error} />
      <div className="form-actions">
        <button type="submit" className="primary small" disabled={save.pending}>
          Save check
        </button>
        <button type="button" className="small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  )
}
