#!/usr/bin/env node
// The `opdesk` CLI run from TypeScript source through tsx (a dev dependency), so the vitest
// suites that spawn it test the code as it stands without a build. bin/opdesk.mjs runs the
// built CLI, which the e2e suite (built first) exercises.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../../electron/host/main.ts')
process.exitCode = await main(process.argv.slice(2))
