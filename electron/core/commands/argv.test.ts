import { describe, expect, it } from 'vitest'
import { plainArgv } from './argv'

describe('plainArgv', () => {
  it.each([
    ['ls -la', ['ls', '-la']],
    [`node "my script.js" 'a b' c\\ d`, ['node', 'my script.js', 'a b', 'c d']],
    [`echo "say \\"hi\\""`, ['echo', 'say "hi"']],
    ['git log --format=%h', ['git', 'log', '--format=%h']],
  ])('%s runs without a shell', (line, argv) => {
    expect(plainArgv(line)).toEqual(argv)
  })
  it.each(['ls | wc -l', 'a && b', 'echo $HOME', 'echo "$HOME"', 'ls *.js', 'FOO=1 node x.js', 'cat < in', 'exit 3', 'cd /tmp', "echo 'unclosed", 'echo `id`', 'a; b'])(
    '%s needs a shell',
    (line) => {
      expect(plainArgv(line)).toBeNull()
    },
  )
})
