// Prints one line per JUnit report CI wrote (vitest.config.ts, playwright.config.ts): how many
// tests ran, passed, failed and were skipped, so the end of the CI log says what was tested.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const dir = process.argv[2] ?? 'reports'
let files = []
try {
  files = readdirSync(dir).filter((f) => f.endsWith('.xml')).sort()
} catch {
  // No reports: say so below.
}
if (files.length === 0) {
  console.log(`--- test summary: no JUnit report in ${dir}/`)
  process.exit(1)
}
const attr = (tag, name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(tag)?.[1] ?? 0)
for (const f of files) {
  // Summed over the <testsuite> elements: vitest's <testsuites> carries no skipped count.
  const suites = readFileSync(join(dir, f), 'utf8').match(/<testsuite\b[^>]*>/g) ?? []
  const sum = (name) => suites.reduce((n, tag) => n + attr(tag, name), 0)
  const tests = sum('tests')
  const failed = sum('failures') + sum('errors')
  const skipped = sum('skipped')
  console.log(`--- test summary: ${f}: ${tests} tests, ${tests - failed - skipped} passed, ${failed} failed, ${skipped} skipped`)
}
