import { describe, expect, it } from 'vitest'
import { plainArgv, shellArgv } from './argv'

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

describe('shellArgv', () => {
  it('spawns a plain command directly', () => {
    expect(shellArgv('git log -n 1')).toEqual({ file: 'git', args: ['log', '-n', '1'], shell: false })
  })
  it.each(['[[ -n x ]] && echo y', 'echo hi &> out.txt', "echo $'x'", 'if true; then ls; fi', 'time ls'])(
    '%s runs under bash, the grammar the policy judges with',
    (line) => {
      expect(shellArgv(line)).toEqual({ file: 'bash', args: ['-c', line], shell: true })
    },
  )
})
