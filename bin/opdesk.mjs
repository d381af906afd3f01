#!/usr/bin/env node
// Runs the CLI from TypeScript source through tsx, so a checkout needs no build step.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../electron/host/main.ts')
process.exitCode = await main(process.argv.slice(2))
