// The workspace's policy.yaml applied to runs. Read at every judgement so an edit to the
// file takes effect on the next run without a restart; a broken file refuses runs with its
// line and column rather than silently falling back to defaults.
import type { FlowDefinition } from '../../shared/flow'
import type { PolicyConfig } from '../../shared/policy'
import { badRequest } from './api/errors'
import { interpolate } from './flows/parse'
import { judgeCommand, judgeFlow, judgeFlowAction, judgeNavigation, loadPolicy, PolicyConfigError } from './policy'
import type { StepPolicy } from './engine/step-policy'
import type { PolicyJudge } from './runs/planner'
import type { WorkspacePaths } from './workspace'

export function readPolicy(paths: WorkspacePaths): PolicyConfig {
  try {
    return loadPolicy(paths.root)
  } catch (err) {
    if (err instanceof PolicyConfigError) throw badRequest(`policy.yaml is invalid: ${err.message}`, 'policy')
    throw err
  }
}

export function workspacePolicyJudge(paths: WorkspacePaths): PolicyJudge & StepPolicy & { config(): PolicyConfig } {
  return {
    judgeStep(step, allowedOrigins) {
      return judgeFlowAction(step as Parameters<typeof judgeFlowAction>[0], readPolicy(paths), allowedOrigins)
    },
    judgeNavigation(url, allowedOrigins) {
      return judgeNavigation(url, allowedOrigins, readPolicy(paths))
    },
    config: () => readPolicy(paths),
    judgeFlow(flow: FlowDefinition, params: Record<string, string>) {
      // Judge the URLs the run will really visit: parameters filled in, secrets never needed here.
      const steps = flow.steps.map((s) => {
        const step = { ...s } as Record<string, unknown> & { action: string }
        if (typeof step.url === 'string') step.url = interpolate(step.url, { params })
        return step
      })
      return judgeFlow({ allowedOrigins: flow.allowedOrigins, steps }, readPolicy(paths))
    },
    judgeCommand(command: string, cwd: string) {
      return judgeCommand(command, readPolicy(paths), { workspaceDir: paths.root, cwd })
    },
    cwdOutsideWorkspaceAllowed() {
      return readPolicy(paths).commands.cwdOutsideWorkspace
    },
  }
}
