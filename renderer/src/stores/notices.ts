// Short messages about what just happened (a failed edit, a refused transition), read out
// by a polite live region so keyboard and screen-reader users learn about them too.
import { create } from 'zustand'

export interface Notice {
  id: number
  kind: 'error' | 'info'
  text: string
}

export const useNotices = create<{ items: Notice[] }>(() => ({ items: [] }))
let next = 1

export function notify(text: string, kind: Notice['kind'] = 'info', ttlMs = 6000): void {
  const id = next++
  useNotices.setState((s) => ({ items: [...s.items.slice(-3), { id, kind, text }] }))
  setTimeout(() => dismiss(id), ttlMs)
}

export const dismiss = (id: number) => useNotices.setState((s) => ({ items: s.items.filter((n) => n.id !== id) }))
