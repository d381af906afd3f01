// bin/opdesk.mjs runs the built CLI in out/cli beside it. A copy of the real bin in a temp
// checkout shows both sides without building: no build gives the way out, a build is run
// with this process's arguments and its exit code.
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const BIN = new URL('../../bin/opdesk.mjs', import.meta.url).pathname
let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'opdesk-bin-'))
  mkdirSync(join(dir, 'bin'))
  copyFileSync(BIN, join(dir, 'bin', 'opdesk.mjs'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const run = (...args: string[]) =>
  spawnSync(process.execPath, [join(dir, 'bin', 'opdesk.mjs'), ...args], { encoding: 'utf8', timeout: 30_000 })

describe('bin/opdesk.mjs', () => {
  it('says to build first when out/cli is missing, and exits 1', () => {
    const r = run('runs')
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('run npm run build first')
    expect(r.stderr).toContain(join(dir, 'out', 'cli', 'opdesk.mjs'))
  })

  it("runs the built CLI's main with the arguments and exits with its code", () => {
    mkdirSync(join(dir, 'out', 'cli'), { recursive: true })
    writeFileSync(
      join(dir, 'out', 'cli', 'opdesk.mjs'),
      'export async function main(argv) { process.stdout.write(JSON.stringify(argv)); return 3 }\n',
    )
    const r = run('runs', '--json')
    expect(r.stdout).toBe('["runs","--json"]')
    expect(r.status).toBe(3)
  })
})
