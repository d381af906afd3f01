import { dismiss, useNotices } from '../stores/notices'

export function Notices() {
  const items = useNotices((s) => s.items)
  return (
    <div className="notices" role="status" aria-live="polite">
      {items.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`}>
          <span>{n.text}</span>
          <button type="button" className="link-button" onClick={() => dismiss(n.id)} aria-label="Dismiss message">
            ✕
          </button>
        </div>
      ))}
    </div>
  )
}
