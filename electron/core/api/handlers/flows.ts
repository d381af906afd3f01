import type { FlowDetail } from '../../../../shared/api'
import type { FlowRecord } from '../../../../shared/domain'
import type { CoreContext } from '../../context'
import { resolveParams } from '../../flows/interpolate'
import { parseFlow } from '../../flows/parse'
import { removeFlowFile, saveFlowFile } from '../../flows/folder'
import type { PolicyJudge } from '../../runs/planner'
import { FlowProblemsError } from '../../runs/planner'
import type { SecretStore } from '../../secrets/secrets'
import { getFlow, getFlowByName, insertFlow, listFlows, listFlowVersions, updateFlow } from '../../store/flows'
import { badRequest, conflict, DomainError, notFound } from '../../errors'
import type { Handlers } from '../router'

const nameTaken = (name: string) =>
  new DomainError('name_taken', `A flow named “${name}” already exists; save with overwrite to replace it, or choose another name`, 'name')

export function flowHandlers(ctx: CoreContext, secrets: SecretStore, policy: PolicyJudge): Handlers {
  const store = ctx.ws.store
  const parse = (source: string) => {
    const parsed = parseFlow(source, { secretNames: secrets.names() })
    if (!parsed.ok) throw new FlowProblemsError(parsed.problems)
    return parsed
  }
  const mustGet = (id: string): FlowRecord => {
    const f = getFlow(store, id)
    if (!f) throw notFound('Flow', id)
    return f
  }
  /** Keeps flows/ in step with the table: the file follows a rename instead of staying behind as a second flow. */
  const writeFile = (before: FlowRecord | null, after: FlowRecord) => {
    saveFlowFile(ctx.ws.paths.flows, after.name, after.source)
    if (before && before.name !== after.name) removeFlowFile(ctx.ws.paths.flows, before.name, after.name)
    ctx.bus.emit('flow.changed', { flowId: after.id })
  }
  return {
    listFlows: () => listFlows(store),
    getFlow: ({ params }): FlowDetail => {
      const f = mustGet(params.id)
      const parsed = parseFlow(f.source, { secretNames: secrets.names() })
      return parsed.ok
        ? { ...f, params: parsed.flow.params ?? {}, profile: parsed.flow.profile ?? null, problems: [] }
        : { ...f, params: null, profile: null, problems: parsed.problems }
    },
    listFlowVersions: ({ params }) => listFlowVersions(store, mustGet(params.id).id),
    createFlow: ({ body, actor }) => {
      const parsed = parse(body.source)
      const name = body.name ?? parsed.flow.name
      const same = getFlowByName(store, name)
      if (same && !body.overwrite) throw nameTaken(name)
      const save = { name, source: body.source, hash: parsed.hash, by: actor.name }
      const flow = same ? updateFlow(store, same.id, save) : insertFlow(store, save)
      writeFile(same, flow)
      return flow
    },
    updateFlow: ({ params, body, actor }) => {
      const cur = mustGet(params.id)
      if (body.baseVersion !== undefined && body.baseVersion !== cur.version) {
        throw conflict(`“${cur.name}” was saved as version ${cur.version} by ${cur.updatedBy ?? 'someone'} after version ${body.baseVersion} you edited; reload it and edit again`)
      }
      const source = body.source ?? cur.source
      const parsed = parse(source)
      const name = body.name ?? (body.source !== undefined ? parsed.flow.name : cur.name)
      const other = getFlowByName(store, name)
      if (other && other.id !== cur.id) throw nameTaken(name)
      const flow = updateFlow(store, cur.id, { name, source, hash: parsed.hash, by: actor.name })
      if (flow.version !== cur.version) writeFile(cur, flow)
      return flow
    },
    validateFlow: ({ body }) => {
      const parsed = parseFlow(body.source, { secretNames: secrets.names() })
      if (!parsed.ok) return { ok: false, problems: parsed.problems }
      return { ok: true, problems: [], name: parsed.flow.name, steps: parsed.flow.steps.length, hash: parsed.hash }
    },
    policyCheck: ({ body }) => {
      if (body.command !== undefined) return policy.judgeCommand(body.command, ctx.ws.paths.root)
      const parsed = parse(body.flow ?? '')
      // The verdict for the values the run would get: given ones over defaults, a missing required one as "".
      const given = body.params ?? {}
      const resolved = resolveParams(parsed.flow, given)
      const params = resolved.ok
        ? resolved.params
        : Object.fromEntries(Object.entries(parsed.flow.params ?? {}).map(([k, v]) => [k, given[k] ?? v.default ?? '']))
      return policy.judgeFlow(parsed.flow, params)
    },
    listSecrets: () => secrets.list(),
    putSecret: ({ body }) => {
      if (body.value.trim() === '') throw badRequest('value must not be blank', 'value')
      return secrets.put(body.name, body.value)
    },
  }
}
