// JS dialogs (alert/confirm/prompt/beforeunload) during a takeover go to the person
// instead of being dismissed by the engine: the page is blocked until they answer.
import type { Dialog } from 'playwright-core'
import type { DialogInfo } from '../../../shared/takeover'

export class DialogBridge {
  private pending: { info: DialogInfo; dialog: Dialog } | null = null
  private seq = 0

  constructor(private readonly onChange: (info: DialogInfo | null) => void) {}

  get current(): DialogInfo | null {
    return this.pending?.info ?? null
  }

  open(dialog: Dialog): void {
    // Chromium shows one dialog at a time per page; a second one from another page waits here.
    if (this.pending) void this.pending.dialog.dismiss().catch(() => {})
    const type = dialog.type()
    const info: DialogInfo = {
      id: `d${++this.seq}`,
      dialogType: type === 'confirm' || type === 'prompt' || type === 'beforeunload' ? type : 'alert',
      message: dialog.message(),
      defaultValue: dialog.defaultValue(),
    }
    this.pending = { info, dialog }
    this.onChange(info)
  }

  /** Applies the person's answer; false when the id is not the open dialog. */
  async answer(id: string, accept: boolean, text?: string): Promise<boolean> {
    const p = this.pending
    if (!p || p.info.id !== id) return false
    this.pending = null
    this.onChange(null)
    try {
      if (accept) await p.dialog.accept(p.info.dialogType === 'prompt' ? (text ?? p.info.defaultValue) : undefined)
      else await p.dialog.dismiss()
    } catch {
      // Already closed by the page navigating away: nothing left to answer.
    }
    return true
  }

  /** The session ends with a dialog open: dismiss it so the engine's page is not left blocked. */
  async close(): Promise<void> {
    const p = this.pending
    this.pending = null
    if (p) await p.dialog.dismiss().catch(() => {})
  }
}
