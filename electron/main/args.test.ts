import { describe, expect, it } from 'vitest'
import { parseAppArgs, readSecondInstanceData } from './args'

describe('parseAppArgs', () => {
  it('reads --workspace, --demo and --user-data-dir among Electron and Chromium switches', () => {
    const argv = ['.', '--no-sandbox', '--workspace', 'ws', '--demo', '--inspect=0', '--user-data-dir=/tmp/ud']
    expect(parseAppArgs(argv, '/home/op')).toEqual({ workspace: '/home/op/ws', demo: true, userDataDir: '/tmp/ud' })
  })

  it('accepts --workspace=DIR and keeps absolute paths', () => {
    expect(parseAppArgs(['--workspace=/srv/ws'], '/x')).toEqual({ workspace: '/srv/ws', demo: false })
  })

  it('treats a missing value as not given rather than swallowing the next switch', () => {
    expect(parseAppArgs(['--workspace', '--demo'], '/x')).toEqual({ demo: true })
    expect(parseAppArgs(['--workspace'], '/x')).toEqual({ demo: false })
    expect(parseAppArgs(['--workspace='], '/x')).toEqual({ demo: false })
  })
})

describe('readSecondInstanceData', () => {
  it('prefers the additionalData the second instance sent', () => {
    expect(readSecondInstanceData({ workspace: '/srv/ws', demo: false }, ['--workspace', 'other'], '/x')).toEqual({
      workspace: '/srv/ws',
      demo: false,
    })
  })

  it('ignores a malformed payload and falls back to argv', () => {
    expect(readSecondInstanceData({ workspace: 'relative' }, ['--workspace', 'ws'], '/x')).toEqual({
      workspace: '/x/ws',
      demo: false,
    })
    expect(readSecondInstanceData(null, ['--demo'], '/x')).toEqual({ workspace: undefined, demo: true })
  })
})
