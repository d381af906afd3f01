// One workspace setting, saved on its own: a failed value never holds back the others, and
// the message (the client's check from the shared schema, or the core's 400 with its
// `field`) sits under the field it is about.
import { useId, useState, type FormEvent } from 'react'
import { SettingsPatch, type WorkspaceSettings } from '@shared/api'
import { errorMessage, isApiError } from '../../api/client'
import { saveSetting } from '../../stores/settings'

export type SettingKey = keyof WorkspaceSettings

export interface SettingSpec {
  key: SettingKey
  label: string
  hint: string
  kind: 'text' | 'number' | 'seconds' | 'bool'
  /** What applies when nothing is set, shown so "empty" never looks like "off". */
  fallback: string
  /** Shown in the empty field; the fallback in the field's own unit. */
  placeholder?: string
  min?: number
  max?: number
}

type Saved = { at: number; cleared: boolean } | null

/** The value to send for what the person typed; '' means "back to the default" (null). */
function parseDraft(spec: SettingSpec, draft: string): WorkspaceSettings[SettingKey] | null {
  const t = draft.trim()
  if (t === '') return null
  if (spec.kind === 'number') return Number(t)
  if (spec.kind === 'seconds') return Math.round(Number(t) * 1000)
  return t
}

function toDraft(spec: SettingSpec, v: WorkspaceSettings[SettingKey] | undefined): string {
  if (v === undefined || v === null) return ''
  if (spec.kind === 'seconds') return String(Number(v) / 1000)
  return String(v)
}

/** The same zod schema the core validates with, so most mistakes show before any request. */
function check(key: SettingKey, value: unknown): string | null {
  if (typeof value === 'number' && !Number.isFinite(value)) return 'must be a number'
  const res = SettingsPatch.safeParse({ [key]: value })
  return res.success ? null : (res.error.issues[0]?.message ?? 'not a valid value')
}

function useSave(spec: SettingSpec) {
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState<Saved>(null)
  const [pending, setPending] = useState(false)
  const save = async (value: WorkspaceSettings[SettingKey] | null) => {
    setSaved(null)
    const problem = check(spec.key, value)
    if (problem) return setError(problem)
    setPending(true)
    try {
      await saveSetting(spec.key, value)
      setError(null)
      setSaved({ at: Date.now(), cleared: value === null })
    } catch (e) {
      // A 400 names the field it refused; anything else (unreachable, 500) still belongs here.
      setError(isApiError(e) && e.field && e.field !== spec.key ? `${e.field}: ${e.message}` : errorMessage(e))
    } finally {
      setPending(false)
    }
  }
  return { error, saved, pending, save }
}

function Feedback({
  id,
  error,
  saved,
  fallback,
}: {
  id: string
  error: string | null
  saved: Saved
  fallback: string
}) {
  return (
    <span id={id} className="setting-feedback" role="status" data-testid="setting-feedback">
      {error ? (
        <span className="field-error" data-testid="setting-error">
          {error}
        </span>
      ) : saved ? (
        <span className="tone-text-good">✓ {saved.cleared ? `Saved: back to the default (${fallback})` : 'Saved'}</span>
      ) : null}
    </span>
  )
}

export function SettingRow({ spec, value }: { spec: SettingSpec; value: WorkspaceSettings[SettingKey] | undefined }) {
  const id = useId()
  const { error, saved, pending, save } = useSave(spec)
  const [draft, setDraft] = useState(() => toDraft(spec, value))
  // The box shows the person's click at once; the stored value takes over when it arrives
  // (or comes back unchanged with an error), so the control never flips back mid-save.
  const [clicked, setClicked] = useState<{ from: unknown; checked: boolean } | null>(null)

  if (spec.kind === 'bool') {
    const stored = (value as boolean | undefined) ?? spec.fallback === 'on'
    const checked = !error && clicked && clicked.from === value ? clicked.checked : stored
    return (
      <div className="setting" data-setting={spec.key}>
        <label className="check">
          <input
            type="checkbox"
            checked={checked}
            disabled={pending}
            aria-describedby={`${id}-hint ${id}-fb`}
            onChange={(e) => {
              setClicked({ from: value, checked: e.target.checked })
              void save(e.target.checked)
            }}
          />{' '}
          {spec.label}
        </label>
        <span id={`${id}-hint`} className="hint">
          {spec.hint} Default: {spec.fallback}.
        </span>
        <Feedback id={`${id}-fb`} error={error} saved={saved} fallback={spec.fallback} />
      </div>
    )
  }

  const submit = (e: FormEvent) => {
    e.preventDefault()
    void save(parseDraft(spec, draft))
  }
  return (
    // noValidate: the shared schema's message is shown in place instead of a browser bubble.
    <form className="setting" data-setting={spec.key} aria-label={spec.label} noValidate onSubmit={submit}>
      <label htmlFor={id}>{spec.label}</label>
      <div className="setting-input">
        <input
          id={id}
          type={spec.kind === 'text' ? 'text' : 'number'}
          inputMode={spec.kind === 'text' ? undefined : 'numeric'}
          min={spec.min}
          max={spec.max}
          value={draft}
          placeholder={spec.placeholder ?? spec.fallback}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-hint ${id}-fb`}
          spellCheck={false}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit" className="small primary" disabled={pending}>
          Save
        </button>
        {value !== undefined && (
          <button
            type="button"
            className="small ghost"
            disabled={pending}
            aria-label={`Reset ${spec.label} to the default`}
            onClick={() => (setDraft(''), void save(null))}
          >
            Use default
          </button>
        )}
      </div>
      <span id={`${id}-hint`} className="hint">
        {spec.hint} Empty means the default: {spec.fallback}.
      </span>
      <Feedback id={`${id}-fb`} error={error} saved={saved} fallback={spec.fallback} />
    </form>
  )
}
