// The workspace policy file (policy.yaml) as YAML. The core refuses a broken file instead of
// saving it (a saved broken policy would refuse every run), and says where each problem is.
import { useState } from 'react'
import type { PolicyView } from '@shared/api'
import { CodeEditor, type EditorProblem } from '../../components/CodeEditor'
import { FormError } from '../../components/Field'
import { ResourceView } from '../../components/Status'
import { useAction } from '../../lib/useAction'
import { notify } from '../../stores/notices'
import { policy, savePolicy, usePolicy } from '../../stores/settings'

export function PolicyPanel() {
  const { data, status, error } = usePolicy()
  return (
    <section className="panel" aria-labelledby="policy-title">
      <h2 id="policy-title">Policy</h2>
      <ResourceView
        status={status}
        error={error}
        data={data}
        what="Policy"
        isEmpty={() => false}
        empty={null}
        onRetry={() => void policy.load()}
      >
        {/* Keyed by the file's text: a reload with another file starts a fresh draft. */}
        {(d) => <PolicyForm key={d.source} view={d} />}
      </ResourceView>
    </section>
  )
}

function PolicyForm({ view }: { view: PolicyView }) {
  const [source, setSource] = useState(view.source)
  // Problems of the file on disk until the first save attempt, then those of what was sent.
  const [problems, setProblems] = useState<EditorProblem[]>(view.problems)
  const [checkedSource, setCheckedSource] = useState(view.source)
  const save = useAction(
    async () => {
      const res = await savePolicy(source)
      setProblems(res.problems)
      setCheckedSource(source)
      if (res.problems.length === 0) notify('Policy saved')
    },
    { announce: false },
  )
  const dirty = source !== view.source
  const stale = source !== checkedSource && problems.length > 0
  return (
    <form onSubmit={(e) => (e.preventDefault(), void save.run())} aria-label="Policy file" noValidate>
      <p className="muted small">
        {view.exists ? (
          <>
            Saved in <code>{view.path}</code>.
          </>
        ) : (
          <>
            No policy file yet: these are the shipped defaults. Saving writes <code>{view.path}</code>.
          </>
        )}{' '}
        Rules decide which commands and flows run, need an approval, or are refused.
      </p>
      <CodeEditor
        label="policy.yaml"
        rows={16}
        value={source}
        onChange={setSource}
        problems={problems}
        problemsLabel={stale ? 'Problems found when last checked' : 'This policy was not saved'}
      />
      <FormError error={save.error} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={save.pending || (!dirty && view.exists)}>
          Save policy
        </button>
        {dirty && (
          <button
            type="button"
            className="ghost"
            onClick={() => (setSource(view.source), setProblems(view.problems), setCheckedSource(view.source))}
          >
            Discard changes
          </button>
        )}
        <span className="muted small" role="status" data-testid="policy-state">
          {save.pending ? 'Saving…' : dirty ? 'Unsaved changes' : view.exists ? 'Saved' : 'Defaults (not saved yet)'}
        </span>
      </div>
    </form>
  )
}
