import type { CoreContext } from '../../context'
import { parseFlow } from '../../flows/parse'
import { saveFlowFile } from '../../flows/folder'
import type { PolicyJudge } from '../../runs/planner'
import { FlowProblemsError } from '../../runs/planner'
import type { SecretStore } from '../../secrets/secrets'
import { listFlows, upsertFlow } from '../../store/flows'
import { badRequest } from '../../errors'
import type { Handlers } from '../router'

export function flowHandlers(ctx: CoreContext, secrets: SecretStore, policy: PolicyJudge): Handlers {
  const store = ctx.ws.store
  return {
    listFlows: () => listFlows(store),
    createFlow: ({ body }) => {
      const parsed = parseFlow(body.source, { secretNames: secrets.names() })
      if (!parsed.ok) throw new FlowProblemsError(parsed.problems)
      const name = body.name ?? parsed.flow.name
      const flow = upsertFlow(store, { name, source: body.source, hash: parsed.hash })
      saveFlowFile(ctx.ws.paths.flows, name, body.source)
      ctx.bus.emit('flow.changed', { flowId: flow.id })
      return flow
    },
    validateFlow: ({ body }) => {
      const parsed = parseFlow(body.source, { secretNames: secrets.names() })
      if (!parsed.ok) return { ok: false, problems: parsed.problems }
      return { ok: true, problems: [], name: parsed.flow.name, steps: parsed.flow.steps.length, hash: parsed.hash }
    },
    policyCheck: ({ body }) => {
      if (body.command !== undefined) return policy.judgeCommand(body.command, ctx.ws.paths.root)
      const parsed = parseFlow(body.flow ?? '', { secretNames: secrets.names() })
      if (!parsed.ok) throw new FlowProblemsError(parsed.problems)
      const params = Object.fromEntries(Object.entries(parsed.flow.params ?? {}).map(([k, v]) => [k, v.default ?? '']))
      return policy.judgeFlow(parsed.flow, params)
    },
    listSecrets: () => secrets.list(),
    putSecret: ({ body }) => {
      if (body.value.trim() === '') throw badRequest('value must not be blank', 'value')
      return secrets.put(body.name, body.value)
    },
  }
}
