// One engine and one fixture site per test file: the hooks every browser-run test file
// would otherwise repeat. Read `suite.h` and `suite.site` inside tests (set in beforeAll).
import { afterAll, beforeAll } from 'vitest'
import { startFixtureSite, type FixtureSite } from './fixture-site'
import { engineHarness, type EngineHarness } from './engine-harness'

export interface EngineSuite {
  site: FixtureSite
  h: EngineHarness
}

export function engineSuite(siteOpts: Parameters<typeof startFixtureSite>[0] = {}): EngineSuite {
  const suite = {} as EngineSuite
  beforeAll(async () => {
    suite.site = await startFixtureSite(siteOpts)
    suite.h = await engineHarness()
  })
  afterAll(async () => {
    await suite.h?.close()
    await suite.site?.close()
  })
  return suite
}
