// Tests and benchmarks launch Chromium the way the engine does: the same executable search
// (CHROMIUM_PATH, then the usual places) and the same flags, so a test never drives a
// browser set up differently from the product's.
import { chromium, type Browser } from 'playwright-core'
import { launchArgs, resolveExecutable } from '../../electron/core/engine/executable'

export function launchTestBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: resolveExecutable(), args: launchArgs() })
}
