// State is always spelled out: colour helps, but it is never the only signal. Glyphs are
// from the Geometric Shapes block, which every system font we ship on has.
const GLYPH: Record<string, string> = {
  active: '▶',
  running: '▶',
  waiting: '◐',
  'waiting-mfa': '◐',
  'waiting-approval': '◐',
  'waiting-assist': '◐',
  pending: '○',
  queued: '○',
  ready: '◎',
  blocked: '■',
  failed: '✕',
  rejected: '✕',
  done: '✓',
  passed: '✓',
  succeeded: '✓',
  approved: '✓',
  skipped: '↷',
  canceled: '⊘',
  interrupted: '⚡',
  ok: '✓',
  stale: '✕',
  checking: '◌',
  unknown: '?',
}

/** Maps any state word to one of a few tones the stylesheet colours. */
export function toneOf(state: string): string {
  if (['blocked', 'failed', 'rejected', 'interrupted', 'stale'].includes(state)) return 'bad'
  if (state.startsWith('waiting') || state === 'pending' || state === 'ready') return 'wait'
  if (['done', 'passed', 'succeeded', 'approved', 'ok'].includes(state)) return 'good'
  if (['active', 'running', 'checking'].includes(state)) return 'busy'
  return 'neutral'
}

export function StateBadge({ state, testId }: { state: string; testId?: string }) {
  return (
    <span className={`badge tone-${toneOf(state)}`} data-testid={testId}>
      <span aria-hidden="true" className="badge-glyph">
        {GLYPH[state] ?? '•'}
      </span>
      {state}
    </span>
  )
}
