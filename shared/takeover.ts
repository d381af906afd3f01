// The takeover wire protocol between a live-page session (core) and a takeover view
// (renderer), whatever carries it (WebSocket in host mode, IPC later). Plain types and constants, so the
// renderer ships no zod; what a view sends is validated by takeover-schema.ts before it
// reaches the page. Coordinates travel as fractions of the view's box, never as pixels, so the
// view may scale the frame freely (DESIGN.md, test id `takeover-view`).
/** CDP modifier bits: Alt=1, Ctrl=2, Meta=4, Shift=8. */
export const MOD = { alt: 1, ctrl: 2, meta: 4, shift: 8 } as const

export const MOUSE_BUTTONS = ['none', 'left', 'middle', 'right'] as const
export type MouseButton = (typeof MOUSE_BUTTONS)[number]

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
  /** base64 JPEG; empty when `jpeg` carries the bytes. */
  data: string
  /**
   * The JPEG as bytes, where the transport carries binary without re-encoding (the desktop
   * app's IPC from the core process); host mode's WebSocket sends base64 in `data`.
   */
  jpeg?: Uint8Array
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
