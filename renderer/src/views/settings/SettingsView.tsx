// Settings: theme, the workspace folder, browser and run settings, secrets (names only)
// and the policy file. Each part loads and saves on its own.
import { useEffect, useState } from 'react'
import type { Health } from '@shared/api'
import { call, errorMessage, isNotAvailable } from '../../api/client'
import { useAction } from '../../lib/useAction'
import { notify } from '../../stores/notices'
import { setTheme, useUi, type ThemeChoice } from '../../stores/ui'
import { policy, settings } from '../../stores/settings'
import { PolicyPanel } from './PolicyEditor'
import { RunSettings } from './RunSettings'
import { SecretsPanel } from './SecretsPanel'

const THEMES: { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'Follow the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
]

/** Desktop only: the native folder picker; main switches the core and reloads every window. */
function SwitchWorkspace() {
  const pick = useAction(async () => {
    const choice = await window.opdesk?.pickWorkspace()
    if (choice) notify(`Opening ${choice.dir}…`)
  })
  return (
    <div className="form-actions">
      <button type="button" disabled={pick.pending} onClick={() => void pick.run()}>
        Open another workspace…
      </button>
    </div>
  )
}

export function SettingsView() {
  const theme = useUi((s) => s.theme)
  const [health, setHealth] = useState<Health | null>(null)
  const [healthError, setHealthError] = useState<string | null>(null)
  useEffect(() => {
    call('health').then(setHealth, (e: unknown) => setHealthError(isNotAvailable(e) ? null : errorMessage(e)))
    void settings.load()
    void policy.load()
  }, [])

  return (
    <section className="view" aria-labelledby="settings-title">
      <h1 id="settings-title" tabIndex={-1}>
        Settings
      </h1>
      <fieldset className="panel">
        <legend>Theme</legend>
        {THEMES.map((t) => (
          <label key={t.value} className="check">
            <input
              type="radio"
              name="theme"
              value={t.value}
              checked={theme === t.value}
              onChange={() => setTheme(t.value)}
            />{' '}
            {t.label}
          </label>
        ))}
      </fieldset>
      <div className="panel" data-testid="workspace-panel">
        <h2>Workspace</h2>
        {health ? (
          <dl className="facts">
            <div className="fact">
              <dt>Folder</dt>
              <dd>
                <code data-testid="workspace-path">{health.workspace}</code>
              </dd>
            </div>
            <div className="fact">
              <dt>Version</dt>
              <dd>{health.version}</dd>
            </div>
            <div className="fact">
              <dt>Schema</dt>
              <dd>{health.schemaVersion}</dd>
            </div>
            <div className="fact">
              <dt>Shell</dt>
              <dd>{window.opdesk ? `desktop (${window.opdesk.platform})` : 'browser (host mode)'}</dd>
            </div>
            <div className="fact">
              <dt>Command sandbox</dt>
              <dd data-testid="command-sandbox">
                {health.sandbox?.available ? (
                  health.sandbox.detail
                ) : (
                  <span className="form-error">
                    Commands are not sandboxed on this machine: every command needs approval.{' '}
                    {health.sandbox?.detail ?? ''}
                  </span>
                )}
              </dd>
            </div>
          </dl>
        ) : (
          <p className="muted">{healthError ?? 'Loading…'}</p>
        )}
        {window.opdesk ? (
          <SwitchWorkspace />
        ) : (
          <p className="muted small">
            In host mode the folder is chosen when the host starts: <code>opdesk serve --workspace DIR</code>.
          </p>
        )}
      </div>
      <RunSettings />
      <SecretsPanel />
      <PolicyPanel />
    </section>
  )
}
