// Browser and run settings of this workspace, each saved on its own, with the browser runs
// would use right now (or why none can be found) so a wrong path shows before a run fails.
import type { WorkspaceSettingsView } from '@shared/api'
import { ResourceView } from '../../components/Status'
import { settings, useSettings } from '../../stores/settings'
import { PoolSettings } from './PoolSettings'
import { SettingRow, type SettingSpec } from './SettingRow'

const SPECS: SettingSpec[] = [
  {
    key: 'browser.executablePath',
    label: 'Browser path',
    hint: 'Full path to Chromium, Chrome or Edge.',
    kind: 'text',
    fallback: 'found automatically',
  },
  {
    key: 'browser.endpoint',
    label: 'Remote browser endpoint',
    hint: 'A Playwright browser server (ws:// or wss://); when set, runs use it instead of a local browser.',
    kind: 'text',
    fallback: 'launch a local browser',
  },
  {
    key: 'runs.concurrency',
    label: 'Runs at once',
    hint: 'How many runs may execute at the same time (1–16).',
    kind: 'number',
    fallback: '2',
    min: 1,
    max: 16,
  },
  {
    key: 'commands.timeoutMs',
    label: 'Command timeout (seconds)',
    hint: 'A command run still going after this long is stopped and fails (1 s to 24 h).',
    kind: 'seconds',
    fallback: '600 s',
    placeholder: '600',
    min: 1,
    max: 86_400,
  },
  {
    key: 'runs.trace',
    label: 'Record a Playwright trace of browser runs',
    hint: 'Traces pause while secrets are typed and during takeover.',
    kind: 'bool',
    fallback: 'off',
  },
  {
    key: 'browser.headless',
    label: 'Run browsers headless',
    hint: 'Off shows the browser window on this machine while a run works.',
    kind: 'bool',
    fallback: 'on',
  },
  {
    key: 'operator.displayName',
    label: 'Your name in the audit trail',
    hint: 'Recorded for what you do in this app (approve, cancel, resume…). Host mode records each token\'s name instead.',
    kind: 'text',
    fallback: 'the OS user',
  },
  {
    key: 'approvals.separateDuties',
    label: 'Nobody approves a run they started',
    hint: 'Separation of duties: another person must approve.',
    kind: 'bool',
    fallback: 'off',
  },
]

function BrowserInUse({ b }: { b: WorkspaceSettingsView['browser'] & { pool: boolean } }) {
  return (
    <div className="browser-in-use" data-testid="browser-in-use" role="status">
      {b.pool ? (
        <p>Runs are placed on the browser servers below.</p>
      ) : b.remote ? (
        <p>
          Runs connect to the remote browser at <code>{b.remote}</code>.
        </p>
      ) : b.path ? (
        <p>
          Runs will use <code data-testid="browser-path">{b.path}</code>.
        </p>
      ) : (
        <p className="form-error" data-testid="browser-problem">
          No browser for runs: {b.problem ?? 'none found'}
        </p>
      )}
    </div>
  )
}

export function RunSettings() {
  const { data, status, error } = useSettings()
  return (
    <section className="panel" aria-labelledby="run-settings-title">
      <h2 id="run-settings-title">Browser and runs</h2>
      <ResourceView
        status={status}
        error={error}
        data={data}
        what="Settings"
        isEmpty={() => false}
        empty={null}
        onRetry={() => void settings.load()}
      >
        {(d) => (
          <>
            <BrowserInUse b={{ ...d.browser, pool: (d.pool?.length ?? 0) > 0 }} />
            <div className="settings-grid">
              {SPECS.map((s) => (
                <SettingRow key={s.key} spec={s} value={d.settings[s.key]} />
              ))}
            </div>
            <PoolSettings view={d} />
          </>
        )}
      </ResourceView>
    </section>
  )
}
