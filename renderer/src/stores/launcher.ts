// Whether the New run dialog is open and what it was opened for: the top bar and Runs open
// it blank, a flow's Run button opens it on that flow. `seq` remounts the form on each open
// so a second opening never shows the values of the first.
import { create } from 'zustand'

export type LaunchKind = 'flow' | 'command'
interface LauncherState {
  open: boolean
  kind: LaunchKind
  flowId: string | null
  /** A track's step to link the run to (opened from the step's menu). */
  trackId: string | null
  stepId: string | null
  seq: number
}

export const useLauncher = create<LauncherState>(() => ({
  open: false,
  kind: 'flow',
  flowId: null,
  trackId: null,
  stepId: null,
  seq: 0,
}))

export function openLauncher(opts: { kind?: LaunchKind; flowId?: string; trackId?: string; stepId?: string } = {}): void {
  useLauncher.setState((s) => ({
    open: true,
    kind: opts.kind ?? 'flow',
    flowId: opts.flowId ?? null,
    trackId: opts.trackId ?? null,
    stepId: opts.stepId ?? null,
    seq: s.seq + 1,
  }))
}

export function closeLauncher(): void {
  useLauncher.setState({ open: false })
}
