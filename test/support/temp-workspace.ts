// Test helper: a real workspace folder (real SQLite file) in a temp dir, removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCore, type Core, type CoreOptions } from '../../electron/core/core'
import { silentLogger } from '../../electron/core/log'

export function tempDir(prefix = 'opdesk-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

export async function tempCore(opts: Partial<CoreOptions> = {}): Promise<Core & { cleanup(): Promise<void> }> {
  const { dir, cleanup } = tempDir()
  const core = await createCore({ workspaceDir: dir, log: silentLogger, ...opts })
  return Object.assign(core, {
    async cleanup() {
      await core.close()
      cleanup()
    },
  })
}
