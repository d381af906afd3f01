// The workspace's policy.yaml applied to runs. Read at every judgement so an edit to the
// file takes effect on the next run without a restart; a broken file refuses runs with its
// line and column rather than silently falling back to defaults.
import type { PolicyResult } from '../../shared/domain'
import type { FlowDefinition } from '../../shared/flow'
import type { PolicyConfig } from '../../shared/policy'
import type { SandboxStatus } from '../../shared/sandbox'
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
  paths: WorkspacePaths,
  sandbox: () => SandboxStatus,
): PolicyJudge & StepPolicy & { config(): PolicyConfig } {
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
      return unsandboxedVerdict(judgeCommand(command, readPolicy(paths), { workspaceDir: paths.root, cwd }), sandbox())
    },
    cwdOutsideWorkspaceAllowed() {
      return readPolicy(paths).commands.cwdOutsideWorkspace
    },
  }
}
