// Turns a run request into a validated, judged plan. A wrong flow file or unknown
// parameter is refused here, before any run row exists.
import { isAbsolute, join, relative, resolve } from 'node:path'
import type { FlowDefinition } from '../../../shared/flow'
import type { PolicyResult, Run } from '../../../shared/domain'
import type { ProblemLocation } from '../../../shared/api'
import { badRequest, DomainError, notFound } from '../errors'
import { flowHash, parseFlow, resolveParams } from '../flows/parse'
import type { Store } from '../store/db'
import { getFlow } from '../store/flows'
import type { PreparedRun, RunPlanner } from './service'

export interface PolicyJudge {
  judgeFlow(flow: FlowDefinition, params: Record<string, string>): PolicyResult
  judgeCommand(command: string, cwd: string): PolicyResult
  cwdOutsideWorkspaceAllowed(): boolean
}

export class FlowProblemsError extends DomainError {
  constructor(problems: ProblemLocation[]) {
    super(
      'bad_request',
      `The flow has ${problems.length} problem${problems.length === 1 ? '' : 's'}: ` +
        problems
          .slice(0, 5)
          .map((p) => `line ${p.line}, column ${p.column}: ${p.message}`)
          .join('; ') +
        (problems.length > 5 ? '; …' : ''),
      'flow',
      problems,
    )
  }
}

export function createPlanner(deps: { store: Store; workspaceRoot: string; secretNames: () => Set<string>; policy: PolicyJudge }): RunPlanner {
  const planFlow = (source: string, given: Record<string, string>, meta: { flowId: string | null; flowName: string | null }): PreparedRun => {
    const parsed = parseFlow(source, { secretNames: deps.secretNames() })
    if (!parsed.ok) throw new FlowProblemsError(parsed.problems)
    const params = resolveParams(parsed.flow, given)
    if (!params.ok) throw badRequest(params.errors.join('; '), 'params')
    return {
      kind: 'browser',
      flowId: meta.flowId,
      flowName: meta.flowName ?? parsed.flow.name,
      flowSource: source,
      flowHash: parsed.hash,
      params: params.params,
      steps: parsed.flow.steps.length,
      profile: parsed.flow.profile ?? null,
      policy: deps.policy.judgeFlow(parsed.flow, params.params),
    }
  }

  const inside = (parent: string, p: string) => {
    const rel = relative(parent, p)
    return !(rel.startsWith('..') || isAbsolute(rel))
  }
  const workDir = join(deps.workspaceRoot, 'work')
  const planCommand = (command: string, cwdIn: string | undefined | null): PreparedRun => {
    // Commands run in work/ (a relative cwd is taken from there): the rest of the workspace
    // holds the database, policy, profiles and evidence, which no command may touch.
    const cwd = resolve(workDir, cwdIn ?? '.')
    if (!inside(workDir, cwd)) {
      if (inside(deps.workspaceRoot, cwd)) throw badRequest(`cwd ${cwd} is in the workspace but not under work/, where commands run`, 'cwd')
      if (!deps.policy.cwdOutsideWorkspaceAllowed()) {
        throw badRequest(`cwd ${cwd} is outside the workspace; allow it in policy.yaml (commands.cwdOutsideWorkspace)`, 'cwd')
      }
    }
    return { kind: 'command', command, cwd, params: {}, steps: 1, profile: null, policy: deps.policy.judgeCommand(command, cwd) }
  }

  return {
    plan(input) {
      if (input.command !== undefined) return planCommand(input.command, input.cwd)
      if (input.flowId !== undefined) {
        const f = getFlow(deps.store, input.flowId)
        if (!f) throw notFound('Flow', input.flowId)
        return planFlow(f.source, input.params ?? {}, { flowId: f.id, flowName: f.name })
      }
      return planFlow(input.flow ?? '', input.params ?? {}, { flowId: null, flowName: null })
    },
    replan(run: Run, cwd: string | null) {
      if (run.kind === 'command') return planCommand(run.command ?? '', cwd)
      const source = run.flowSource ?? ''
      const plan = planFlow(source, run.params, { flowId: run.flowId, flowName: run.flowName })
      // A retry runs the snapshot it ran before, not whatever the registered flow says now.
      if (run.flowHash && flowHash(source) !== run.flowHash) throw badRequest(`Run ${run.id}'s flow snapshot is damaged`)
      return plan
    },
  }
}
