// `opdesk verify`: the record is intact when every run's event chain re-hashes to its stored
// head and every evidence file still has the hash recorded when it was captured.
import { verifyArtifacts, type ArtifactProblem } from './store/artifact-files'
import { verifyChains, type VerifyResult } from './store/events'
import type { Workspace } from './workspace'

export interface IntegrityReport extends VerifyResult {
  artifacts: { checked: number; problems: ArtifactProblem[] }
}

export async function verifyRecord(ws: Workspace, runId?: string): Promise<IntegrityReport> {
  const chains = verifyChains(ws.store, runId)
  const artifacts = await verifyArtifacts(ws.store, ws.paths, runId)
  return { ...chains, artifacts }
}
