// The console's ANSI reader: colours and weights become class names, every escape sequence
// is removed, and nothing in a line can become markup (the console renders text nodes).
import { describe, expect, it } from 'vitest'
import { parseAnsi, stripAnsi } from '../shared/ansi'

const ESC = '\u001b'

describe('parseAnsi', () => {
  it('leaves plain text alone', () => {
    expect(parseAnsi('hello <b>world</b>')).toEqual([{ text: 'hello <b>world</b>', className: '' }])
    expect(parseAnsi('')).toEqual([])
  })

  it('turns SGR colours and weights into classes and resets them', () => {
    expect(parseAnsi(`${ESC}[31mred${ESC}[0m plain ${ESC}[1;92mbold green${ESC}[22m green`)).toEqual([
      { text: 'red', className: 'ansi-fg-red' },
      { text: ' plain ', className: '' },
      { text: 'bold green', className: 'ansi-fg-green ansi-bold' },
      { text: ' green', className: 'ansi-fg-green' },
    ])
    expect(parseAnsi(`${ESC}[m${ESC}[4;44mx${ESC}[24;49my`)).toEqual([
      { text: 'x', className: 'ansi-bg-blue ansi-underline' },
      { text: 'y', className: '' },
    ])
  })

  it('reads and drops 256-colour and true-colour codes without losing what follows', () => {
    expect(parseAnsi(`${ESC}[38;5;196mA${ESC}[38;2;1;2;3;1mB`)).toEqual([
      { text: 'A', className: '' },
      { text: 'B', className: 'ansi-bold' },
    ])
  })

  it('removes cursor moves, titles and stray control characters', () => {
    expect(stripAnsi(`${ESC}[2K${ESC}[1Gprogress${ESC}]0;title\u0007 done\u0007\b`)).toBe('progress done')
    expect(stripAnsi(`${ESC}(Bok${ESC}`)).toBe('ok')
  })
})
