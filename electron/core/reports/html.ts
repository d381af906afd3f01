// The self-contained HTML report: no scripts, no external URLs; screenshots inlined.
import type { Approval, Artifact, Run, RunEvent } from '../../../shared/domain'
import type { VerifyResult } from '../store/events'

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:1100px;color:#1d2430;padding:0 1rem}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:2rem 0 .5rem;border-bottom:1px solid #d7dce3;padding-bottom:.25rem}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eceff3;vertical-align:top}
th{font-weight:600;color:#4a5566}code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}
pre{white-space:pre-wrap;word-break:break-word;margin:0}.status{display:inline-block;padding:.1rem .5rem;border-radius:1rem;background:#eef1f5;font-weight:600}
.ok{color:#0f7b3e}.bad{color:#b42318}figure{margin:1rem 0}figure img{max-width:100%;border:1px solid #d7dce3}
figcaption{color:#4a5566;font-size:12px}.muted{color:#6b7585}`

export interface ReportInput {
  run: Run
  events: RunEvent[]
  artifacts: Artifact[]
  approvals: Approval[]
  verification: VerifyResult
  images: Map<string, string>
  generatedAt: string
}

function summarizeData(e: RunEvent): string {
  const d = e.data
  if (e.type === 'stdout' || e.type === 'stderr') return String(d.text ?? '')
  if (e.type === 'run.status') return `${d.from ?? '∅'} → ${d.to}${d.reason ? ` — ${d.reason}` : ''}`
  return JSON.stringify(d)
}

export function renderReport(r: ReportInput): string {
  const { run } = r
  const ok = r.verification.broken.length === 0
  const rows = (pairs: [string, string | null | undefined][]) =>
    pairs
      .filter(([, v]) => v !== null && v !== undefined && v !== '')
      .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(v))}</td></tr>`)
      .join('')
  const duration = run.startedAt && run.endedAt ? `${((Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1)} s` : null
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>Opdesk run report — ${escapeHtml(run.flowName ?? run.command ?? run.id)}</title><style>${CSS}</style></head>
<body>
<h1>${escapeHtml(run.flowName ?? run.command ?? run.id)}</h1>
<p><span class="status" data-testid="report-status">${escapeHtml(run.status)}</span> <span class="muted">Run ${escapeHtml(run.id)} · attempt ${run.attempt}</span></p>
<h2>Summary</h2>
<table>${rows([
    ['Kind', run.kind],
    ['Phase', run.phase],
    ['Created', run.createdAt],
    ['Started', run.startedAt],
    ['Ended', run.endedAt],
    ['Duration', duration],
    ['Error', run.error],
    ['Exit code', run.exitCode === null ? null : String(run.exitCode)],
    ['Flow hash', run.flowHash],
    ['Retry of', run.retryOf],
    ['Parameters', Object.keys(run.params).length ? JSON.stringify(run.params) : null],
    ['Outputs', Object.keys(run.outputs).length ? JSON.stringify(run.outputs) : null],
  ])}</table>
<h2>Policy</h2>
${
  run.policy
    ? `<p><strong>${escapeHtml(run.policy.verdict)}</strong> (risk ${escapeHtml(run.policy.risk)})</p><ul>${run.policy.reasons.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>`
    : '<p class="muted">No verdict recorded.</p>'
}
<h2>Approvals</h2>
${
  r.approvals.length
    ? `<table><tr><th>Reason</th><th>Decision</th><th>By</th><th>When</th><th>Note</th></tr>${r.approvals
        .map(
          (a) =>
            `<tr><td>${escapeHtml(a.reason)}</td><td>${escapeHtml(a.status)}</td><td>${escapeHtml(a.decidedBy ?? '')}</td><td>${escapeHtml(a.decidedAt ?? '')}</td><td>${escapeHtml(a.note ?? '')}</td></tr>`,
        )
        .join('')}</table>`
    : '<p class="muted">None.</p>'
}
<h2>Hash chain</h2>
<p class="${ok ? 'ok' : 'bad'}" data-testid="report-verification">${
    ok
      ? `Intact: ${r.events.length} events verified.`
      : escapeHtml(r.verification.broken.map((b) => `Broken at event ${b.seq}: ${b.problem}`).join('; '))
  }</p>
<h2>Timeline</h2>
<table data-testid="report-timeline"><tr><th>#</th><th>Time</th><th>Type</th><th>Detail</th></tr>
${r.events
  .map((e) => `<tr><td>${e.seq}</td><td><code>${escapeHtml(e.ts)}</code></td><td>${escapeHtml(e.type)}</td><td><pre>${escapeHtml(summarizeData(e))}</pre></td></tr>`)
  .join('\n')}
</table>
<h2>Evidence</h2>
${
  r.artifacts.length
    ? r.artifacts
        .map((a) => {
          const img = r.images.get(a.id)
          const caption = `${escapeHtml(a.name)} · ${escapeHtml(a.kind)} · ${a.bytes} bytes · sha256 <code>${escapeHtml(a.sha256)}</code>`
          return img
            ? `<figure><img alt="${escapeHtml(a.name)}" src="${img}"><figcaption>${caption}</figcaption></figure>`
            : `<p>${caption} — in <code>artifacts/${escapeHtml(a.path.split('/').pop() ?? a.name)}</code></p>`
        })
        .join('\n')
    : '<p class="muted">No artifacts.</p>'
}
<p class="muted">Generated by Opdesk at ${escapeHtml(r.generatedAt)}.</p>
</body></html>
`
}
