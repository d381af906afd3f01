// Sentences the operator reads in more than one place (renderer, Electron notifications),
// kept here so every shell says the same thing and each is tested once.
import type { NeedsYouItem } from './api'
import type { RunStatus } from './domain'

/** The title of a needs-you notification and its body: what, for which run, and why. */
export function needNotification(item: NeedsYouItem): { title: string; body: string } {
  const title =
    item.need === 'approval' ? 'Opdesk: approval needed' : item.need === 'assist' ? 'Opdesk: a step needs help' : 'Opdesk: sign-in needed'
  // A scheduled run may start while nobody watches: say it was not started by hand.
  return { title, body: `${item.title}${item.scheduleId ? ' (scheduled run)' : ''}: ${item.reason}` }
}

/** The label of an item's one action. */
export function needActionLabel(item: Pick<NeedsYouItem, 'action'>): string {
  return item.action === 'approve' ? 'Approve' : item.action === 'continue' ? 'Continue' : 'Take over'
}

/** "The run succeeded", never "The run is succeeded": a finished status reads as a verb. */
export function runStatusSentence(status: RunStatus | string): string {
  switch (status) {
    case 'succeeded':
      return 'The run succeeded'
    case 'failed':
      return 'The run failed'
    case 'canceled':
      return 'The run was canceled'
    case 'interrupted':
      return 'The run was interrupted'
    case 'blocked':
      return 'The run was blocked by policy'
    case 'queued':
      return 'The run is queued'
    case 'running':
      return 'The run is running'
    case 'waiting-mfa':
      return 'The run is waiting for a person to sign in'
    case 'waiting-approval':
      return 'The run is waiting for approval'
    case 'waiting-assist':
      return 'The run is waiting for help with a step'
    default:
      return `The run is ${status}`
  }
}

/**
 * A refused resume, with what to do next: only the actions the screen offers. `canForce`:
 * a Force resume button is on screen. The server's message is used as one sentence, however
 * it ends, so nothing is said twice.
 */
export function resumeRefusal(message: string, opts: { canForce: boolean }): string {
  const said = message.trim().replace(/[.\s]+$/, '')
  const next = opts.canForce
    ? 'Finish the prompt on the page, or force the run to continue.'
    : 'Finish the prompt on the page in the takeover view, then resume again.'
  return `${said}. ${next}`
}
