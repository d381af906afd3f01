// The workspace's stored policy applied to runs. Read at every judgement so a change posted
// to /api/policy takes effect on the next run without a restart. The policy lives in the
// database, not in policy.yaml: a command run can write the workspace folder, so a file
// there could loosen the policy it is judged by.
import type { FlowDefinition } from '../../shared/flow'
import type { PolicyResult } from '../../shared/domain'
import type { PolicyConfig } from '../../shared/policy'
import type { SandboxStatus } from '../../shared/sandbox'
import { interpolate } from './flows/parse'
import { judgeCommand, judgeFlow, judgeFlowAction, judgeNavigation } from './policy'
import { runningPolicy } from './policy-store'
import type { StepPolicy } from './engine/step-policy'
import type { PolicyJudge } from './runs/planner'
import type { Workspace } from './workspace'

/**
 * Without an OS sandbox the judge is the only boundary, and a parser cannot know every
 * tool's options: nothing runs without a person's approval. A denial stays a denial.
 */
export function unsandboxedVerdict(result: PolicyResult, sandbox: SandboxStatus): PolicyResult {
  if (sandbox.available || result.verdict === 'deny') return result
  const reason = `Commands are not sandboxed on this machine (${sandbox.detail}): every command needs approval`
  if (result.verdict === 'allow') return { verdict: 'requires-approval', risk: result.risk, reasons: [reason] }
  return { ...result, reasons: [...result.reasons, reason] }
}

export function workspacePolicyJudge(
  ws: Pick<Workspace, 'paths' | 'store'>,
  sandbox: () => SandboxStatus,
): PolicyJudge & StepPolicy & { config(): PolicyConfig } {
  const { paths } = ws
  const readPolicy = (): PolicyConfig => runningPolicy(ws.store)
  return {
    judgeStep(step, allowedOrigins) {
      return judgeFlowAction(step as Parameters<typeof judgeFlowAction>[0], readPolicy(), allowedOrigins)
    },
    judgeNavigation(url, allowedOrigins) {
      return judgeNavigation(url, allowedOrigins, readPolicy())
    },
    config: () => readPolicy(),
    judgeFlow(flow: FlowDefinition, params: Record<string, string>) {
      // Judge the URLs the run will really visit: parameters filled in, secrets never needed here.
      const steps = flow.steps.map((s) => {
        const step = { ...s } as Record<string, unknown> & { action: string }
        if (typeof step.url === 'string') step.url = interpolate(step.url, { params })
        return step
      })
      return judgeFlow({ allowedOrigins: flow.allowedOrigins, steps }, readPolicy())
    },
    judgeCommand(command: string, cwd: string) {
      return unsandboxedVerdict(judgeCommand(command, readPolicy(), { workspaceDir: paths.root, cwd }), sandbox())
    },
    cwdOutsideWorkspaceAllowed() {
      return readPolicy().commands.cwdOutsideWorkspace
    },
  }
}
