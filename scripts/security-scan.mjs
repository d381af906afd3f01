#!/usr/bin/env node
// Runs the Electronegativity scan over electron/ and fails on any finding above LOW that
// security/electronegativity-reviewed.json does not explain. The "available security
// fixes" check needs the network, so it is skipped offline (CI has none).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'

const root = resolve(new URL('..', import.meta.url).pathname)
const require = createRequire(import.meta.url)
const electronVersion = require('electron/package.json').version
const bin = join(root, 'node_modules', '.bin', 'electronegativity')
const dir = mkdtempSync(join(tmpdir(), 'opdesk-eneg-'))
const out = join(dir, 'findings.csv')
try {
  const r = spawnSync(
    bin,
    ['-i', join(root, 'electron'), '-e', electronVersion, '-x', 'AvailableSecurityFixesGlobalCheck', '-o', out, '-v', 'false'],
    { encoding: 'utf8', timeout: 300_000 },
  )
  let csv
  try {
    csv = readFileSync(out, 'utf8')
  } catch {
    console.error(`security scan: Electronegativity produced no report (exit ${r.status})\n${r.stdout}\n${r.stderr}`)
    process.exit(1)
  }
  const reviewed = JSON.parse(readFileSync(join(root, 'security', 'electronegativity-reviewed.json'), 'utf8')).reviewed
  const findings = csv
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const cells = line.match(/("([^"]*)"|[^,]*)(,|$)/g).map((c) => c.replace(/,$/, '').replace(/^"|"$/g, ''))
      return { issue: cells[0], severity: cells[1], confidence: cells[2], file: relative(root, cells[3]), location: cells[4] }
    })
  const above = findings.filter((f) => !['LOW', 'INFORMATIONAL'].includes(f.severity))
  const unexplained = above.filter((f) => !reviewed.some((r) => r.issue === f.issue && r.file === f.file && r.reason?.length > 20))
  console.log(`security scan: ${findings.length} finding(s), ${above.length} above LOW, ${above.length - unexplained.length} reviewed with a reason`)
  for (const f of findings) console.log(`  ${f.severity.padEnd(8)} ${f.issue} ${f.file}:${f.location}`)
  if (unexplained.length) {
    console.error('security scan: findings above LOW without a written reason (add one to security/electronegativity-reviewed.json, or fix them):')
    for (const f of unexplained) console.error(`  ${f.severity} ${f.issue} ${f.file}:${f.location}`)
    process.exit(1)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
