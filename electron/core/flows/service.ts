// Saving flows: the flows table, the flows/ folder that mirrors it and the flow.changed event
// move together, so every caller (the API today) gets all three or none of the writes.
import type { FlowRecord } from '../../../shared/domain'
import type { CoreContext } from '../context'
import { conflict, DomainError, notFound } from '../errors'
import { FlowProblemsError } from '../runs/planner'
import type { SecretStore } from '../secrets/secrets'
import { getFlow, getFlowByName, insertFlow, updateFlow } from '../store/flows'
import { removeFlowFile, saveFlowFile } from './folder'
import { parseFlow } from './parse'

const nameTaken = (name: string) =>
  new DomainError('name_taken', `A flow named “${name}” already exists; save with overwrite to replace it, or choose another name`, 'name')

export interface FlowCreate {
  source: string
  name?: string
  overwrite?: boolean
}

export interface FlowEdit {
  source?: string
  name?: string
  /** The version the edit started from; a later save by someone else is a conflict. */
  baseVersion?: number
}

export class FlowService {
  constructor(
    private readonly ctx: CoreContext,
    private readonly secrets: SecretStore,
  ) {}

  mustGet(id: string): FlowRecord {
    const f = getFlow(this.ctx.ws.store, id)
    if (!f) throw notFound('Flow', id)
    return f
  }

  /** Saves a new flow, or replaces the one of the same name when `overwrite` is set. */
  create(input: FlowCreate, by: string): FlowRecord {
    const store = this.ctx.ws.store
    const parsed = this.parse(input.source)
    const name = input.name ?? parsed.flow.name
    const same = getFlowByName(store, name)
    if (same && !input.overwrite) throw nameTaken(name)
    const save = { name, source: input.source, hash: parsed.hash, by }
    const flow = same ? updateFlow(store, same.id, save) : insertFlow(store, save)
    this.saved(same, flow)
    return flow
  }

  update(id: string, edit: FlowEdit, by: string): FlowRecord {
    const store = this.ctx.ws.store
    const cur = this.mustGet(id)
    if (edit.baseVersion !== undefined && edit.baseVersion !== cur.version) {
      throw conflict(`“${cur.name}” was saved as version ${cur.version} by ${cur.updatedBy ?? 'someone'} after version ${edit.baseVersion} you edited; reload it and edit again`)
    }
    const source = edit.source ?? cur.source
    const parsed = this.parse(source)
    const name = edit.name ?? (edit.source !== undefined ? parsed.flow.name : cur.name)
    const other = getFlowByName(store, name)
    if (other && other.id !== cur.id) throw nameTaken(name)
    const flow = updateFlow(store, cur.id, { name, source, hash: parsed.hash, by })
    if (flow.version !== cur.version) this.saved(cur, flow)
    return flow
  }

  /** A flow that does not parse is refused with every located problem, before any write. */
  parse(source: string) {
    const parsed = parseFlow(source, { secretNames: this.secrets.names() })
    if (!parsed.ok) throw new FlowProblemsError(parsed.problems)
    return parsed
  }

  /** Keeps flows/ in step with the table: the file follows a rename instead of staying behind as a second flow. */
  private saved(before: FlowRecord | null, after: FlowRecord): void {
    const dir = this.ctx.ws.paths.flows
    saveFlowFile(dir, after.name, after.source)
    if (before && before.name !== after.name) removeFlowFile(dir, before.name, after.name)
    this.ctx.bus.emit('flow.changed', { flowId: after.id })
  }
}
