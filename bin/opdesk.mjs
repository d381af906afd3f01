#!/usr/bin/env node
// Runs the built CLI (out/cli, made by `npm run build`), so running Opdesk needs no
// TypeScript loader; the tests run the source through test/support/opdesk-source.mjs.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const entry = new URL('../out/cli/opdesk.mjs', import.meta.url)
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(`opdesk: the CLI is not built (${fileURLToPath(entry)} is missing): run npm run build first\n`)
  process.exit(1)
}
const { main } = await import(entry.href)
process.exitCode = await main(process.argv.slice(2))
