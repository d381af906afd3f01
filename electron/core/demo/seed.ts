// The demo workspace: the three tracks of the seed, arranged so the Execution view shows
// one active, one waiting and one blocked track.
import type { z } from 'zod'
import type { TrackInput } from '../../../shared/api'
import { transaction, type Store } from '../store/db'
import { countTracks } from '../store/track-queries'
import { createTrack } from '../store/tracks'

type Seed = z.input<typeof TrackInput>

function inDays(n: number): string {
  return new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10)
}

export function demoTracks(): Seed[] {
  return [
    {
      title: 'Execution queue',
      objective: 'Move the nightly invoice exports through the runtime with checkpoints an operator can trust.',
      owner: 'Dana Ortiz',
      due: inDays(3),
      nextAction: 'Run the Acme invoice export flow for this month',
      steps: [
        { title: 'Register the invoice export flow', state: 'done', owner: 'Dana Ortiz', note: 'flows/demo-login.yaml' },
        { title: 'Dry-run against the demo portal', state: 'done', owner: 'Dana Ortiz' },
        { title: 'Run the export for the current month', state: 'active', owner: 'Dana Ortiz', note: 'Start it from this step' },
        { title: 'Review the downloaded CSV', state: 'queued', owner: 'Sam Lee' },
        { title: 'Hand the file to finance', state: 'queued', owner: 'Sam Lee' },
        { title: 'Tidy old exports', state: 'queued', owner: 'Dana Ortiz', core: false },
      ],
      checkpoints: [
        { title: 'Flow reviewed by a second operator', kind: 'review', state: 'passed', owner: 'Sam Lee' },
        { title: 'Export evidence captured', kind: 'evidence', state: 'ready', owner: 'Dana Ortiz', note: 'Screenshot of "Export complete"' },
        { title: 'Finance handoff', kind: 'handoff', state: 'pending', owner: 'Sam Lee' },
      ],
    },
    {
      title: 'Browser MFA continuity',
      objective: 'Keep the Acme portal session alive across runs; an operator completes MFA when the portal asks.',
      owner: 'Priya Natarajan',
      due: inDays(1),
      nextAction: 'Complete the MFA prompt in the takeover view',
      waitingOn: 'MFA / operator login assist',
      steps: [
        { title: 'Create the persistent "acme" profile', state: 'done', owner: 'Priya Natarajan' },
        { title: 'Log in through the demo flow', state: 'done', owner: 'Priya Natarajan' },
        { title: 'Operator completes the one-time code', state: 'active', owner: 'Priya Natarajan', note: 'Code from the authenticator app' },
        { title: 'Confirm the profile skips MFA on the next run', state: 'queued', owner: 'Priya Natarajan' },
      ],
      checkpoints: [
        { title: 'Operator login assist', kind: 'handoff', state: 'waiting', owner: 'Priya Natarajan', note: 'Waiting for the person on call' },
        { title: 'Evidence after resume', kind: 'evidence', state: 'pending', owner: 'Priya Natarajan' },
      ],
    },
    {
      title: 'Persisted runtime objects',
      objective: 'Every run, event and artifact survives a restart and verifies against its hash chain.',
      owner: 'Marek Novak',
      due: inDays(7),
      nextAction: 'Get the retention policy signed off',
      steps: [
        { title: 'Hash-chain the event log', state: 'done', owner: 'Marek Novak' },
        { title: 'Mark interrupted runs at start-up', state: 'done', owner: 'Marek Novak' },
        { title: 'Agree evidence retention', state: 'blocked', owner: 'Marek Novak', note: 'Needs the compliance decision' },
        { title: 'Export run reports for the audit', state: 'queued', owner: 'Marek Novak' },
      ],
      checkpoints: [
        { title: 'Policy review of retention', kind: 'policy', state: 'pending', owner: 'Compliance' },
        { title: 'Audit approval', kind: 'approval', state: 'pending', owner: 'Compliance' },
      ],
      blockers: [
        { title: 'Compliance has not decided how long evidence is kept', owner: 'Compliance', note: 'Asked on Monday; chase on Thursday' },
      ],
    },
  ]
}

/** Seeds an empty workspace; a workspace that already has tracks is left alone. */
export function seedDemo(store: Store): boolean {
  if (countTracks(store) > 0) return false
  transaction(store, () => {
    for (const t of demoTracks()) createTrack(store, t as never)
  })
  return true
}
