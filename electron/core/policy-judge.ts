// The workspace's stored policy applied to runs. Read at every judgement so a change posted
// to /api/policy takes effect on the next run without a restart. The policy lives in the
// database, not in policy.yaml: a command run can write the workspace folder, so a file
// there could loosen the policy it is judged by.
import type { FlowDefinition } from '../../shared/flow'
import type { PolicyConfig } from '../../shared/policy'
import { interpolate } from './flows/parse'
import { judgeCommand, judgeFlow, judgeFlowAction, judgeNavigation } from './policy'
import { runningPolicy } from './policy-store'
import type { StepPolicy } from './engine/step-policy'
import type { PolicyJudge } from './runs/planner'
import type { Workspace } from './workspace'

export function workspacePolicyJudge(ws: Pick<Workspace, 'paths' | 'store'>): PolicyJudge & StepPolicy & { config(): PolicyConfig } {
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
      return judgeCommand(command, readPolicy(), { workspaceDir: paths.root, cwd })
    },
    cwdOutsideWorkspaceAllowed() {
      return readPolicy().commands.cwdOutsideWorkspace
    },
  }
}
