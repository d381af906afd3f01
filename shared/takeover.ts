// The takeover wire protocol between a live-page session (core) and a takeover view
// (renderer), whatever carries it (WebSocket in host mode, IPC later). Pure TS, zod only.
// Everything a view sends is validated here before it reaches the page; invalid messages
// are dropped. Coordinates travel as fractions of the view's box, never as pixels, so the
// view may scale the frame freely (DESIGN.md, test id `takeover-view`).
import { z } from 'zod'

/** CDP modifier bits: Alt=1, Ctrl=2, Meta=4, Shift=8. */
export const MOD = { alt: 1, ctrl: 2, meta: 4, shift: 8 } as const

const frac = z.number().min(0).max(1)
const modifiers = z.number().int().min(0).max(15).default(0)
const delta = z.number().finite().min(-100_000).max(100_000)

export const MOUSE_BUTTONS = ['none', 'left', 'middle', 'right'] as const
export type MouseButton = (typeof MOUSE_BUTTONS)[number]

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

/** What Chromium reports with every screencast frame (Page.ScreencastFrameMetadata). */
export interface FrameMeta {
  deviceWidth: number
  deviceHeight: number
  pageScaleFactor: number
  offsetTop: number
  scrollOffsetX: number
  scrollOffsetY: number
}

export interface Viewport {
  width: number
  height: number
}

export interface FrameMessage {
  type: 'frame'
  frameId: number
  /** base64 JPEG */
  data: string
  meta: FrameMeta
  /** CSS pixels a fraction (fx, fy) of the view's box maps onto. */
  viewport: Viewport
}

export interface TakeoverStatus {
  type: 'status'
  runId: string
  runStatus: string
  /** True while frames stream and input is accepted (the run waits for a person). */
  live: boolean
  url: string | null
  title: string | null
  /** Viewer id holding the input lease, or null. */
  lease: string | null
  leaseBy: string | null
  /** This viewer's id, so the view can tell "you have control" from "someone else has". */
  you: string
  /** True while the session follows a popup window instead of the run's main page. */
  popup: boolean
  viewport: Viewport | null
  waitingSince: string | null
  timeoutAt: string | null
  /** The remote browser's platform: shortcuts differ (Cmd vs Ctrl). */
  platform: 'mac' | 'other'
}

export const DIALOG_KINDS = ['alert', 'confirm', 'prompt', 'beforeunload'] as const
export interface DialogInfo {
  id: string
  dialogType: (typeof DIALOG_KINDS)[number]
  message: string
  defaultValue: string
}
export interface DialogMessage {
  type: 'dialog'
  /** null: the dialog is gone (answered here or elsewhere). */
  dialog: DialogInfo | null
}

export interface SelectOption {
  value: string
  label: string
  selected: boolean
  disabled: boolean
}
export interface SelectInfo {
  id: string
  multiple: boolean
  options: SelectOption[]
}
export interface SelectMessage {
  type: 'select'
  select: SelectInfo | null
}

export const TAKEOVER_ERROR_CODES = [
  'invalid',
  'no-lease',
  'lease-held',
  'not-live',
  'input-failed',
  'not-found',
  'unavailable',
] as const
export type TakeoverErrorCode = (typeof TAKEOVER_ERROR_CODES)[number]
export interface ErrorMessage {
  type: 'error'
  code: TakeoverErrorCode
  message: string
}

export type DownMessage = FrameMessage | TakeoverStatus | DialogMessage | SelectMessage | ErrorMessage

/** Counts and kinds of input only: `takeover.input` never carries a key, a character or a position. */
export interface InputCounts {
  mouse: number
  keys: number
  text: number
  wheel: number
  paste: number
  dialog: number
  select: number
}

/** Path of the host-mode endpoint (WebSocket upgrade, same auth as /api). */
export const takeoverSocketPath = (runId: string): string => `/api/runs/${encodeURIComponent(runId)}/takeover`
