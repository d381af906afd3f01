// The messages a takeover view may send, validated before they reach the page (invalid ones
// are dropped). Apart from takeover.ts so that only the core, not the renderer, loads zod.
import { z } from 'zod'
import { MOUSE_BUTTONS } from './takeover'

const frac = z.number().min(0).max(1)
const modifiers = z.number().int().min(0).max(15).default(0)
const delta = z.number().finite().min(-100_000).max(100_000)

export const UpMessage = z.discriminatedUnion('type', [
  /** The frame with this id (and every older one) has been painted. */
  z.strictObject({ type: z.literal('ack'), frameId: z.number().int().min(0) }),
  /** Ask for (want=true) or give back (want=false) the input lease. */
  z.strictObject({ type: z.literal('lease'), want: z.boolean() }),
  z.strictObject({
    type: z.literal('mouse'),
    action: z.enum(['move', 'down', 'up']),
    fx: frac,
    fy: frac,
    button: z.enum(MOUSE_BUTTONS).default('none'),
    clickCount: z.number().int().min(0).max(3).default(0),
    modifiers,
  }),
  z.strictObject({ type: z.literal('wheel'), fx: frac, fy: frac, dx: delta, dy: delta, modifiers }),
  z.strictObject({
    type: z.literal('key'),
    action: z.enum(['down', 'up']),
    /** KeyboardEvent.key, e.g. "a", "Enter", "ArrowLeft". */
    key: z.string().min(1).max(32),
    /** KeyboardEvent.code, e.g. "KeyA", "Enter"; may be empty on some virtual keyboards. */
    code: z.string().max(32).default(''),
    modifiers,
    repeat: z.boolean().default(false),
    location: z.number().int().min(0).max(3).default(0),
  }),
  /** Composed text (IME, emoji picker): inserted as is, no key events. */
  z.strictObject({ type: z.literal('text'), text: z.string().min(1).max(1_000) }),
  /** The operator's clipboard text: the remote page's clipboard is not theirs. */
  z.strictObject({ type: z.literal('paste'), text: z.string().min(1).max(100_000) }),
  z.strictObject({
    type: z.literal('dialog-answer'),
    id: z.string().min(1).max(40),
    accept: z.boolean(),
    text: z.string().max(10_000).optional(),
  }),
  /** values=null closes the overlay without a change. */
  z.strictObject({
    type: z.literal('select-answer'),
    id: z.string().min(1).max(40),
    values: z.array(z.string().max(10_000)).max(1_000).nullable(),
  }),
])
export type UpMessage = z.output<typeof UpMessage>
export type UpMessageIn = z.input<typeof UpMessage>
export type InputMessage = Extract<UpMessage, { type: 'mouse' | 'wheel' | 'key' | 'text' | 'paste' }>
