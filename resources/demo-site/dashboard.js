// Downloads the CSV through fetch + a blob link so "Export complete" is only shown
// after the file has really arrived (a plain link could not tell us when it finished).
// Without JavaScript the form still downloads the file via GET /export.csv.
'use strict'
document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('export-form')
  const status = document.getElementById('export-status')
  const month = document.getElementById('month')
  if (!form || !status || !month) return
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    status.textContent = 'Exporting…'
    try {
      const res = await fetch('/export.csv?month=' + encodeURIComponent(month.value), { cache: 'no-store' })
      if (!res.ok) throw new Error('HTTP ' + res.status)
      const disposition = res.headers.get('Content-Disposition') || ''
      const match = /filename="([^"]+)"/.exec(disposition)
      const blob = await res.blob()
      const href = URL.createObjectURL(blob)
      const link = document.createElement('a')
      link.href = href
      link.download = match ? match[1] : 'invoices.csv'
      document.body.appendChild(link)
      link.click()
      link.remove()
      // Revoking at once can cancel the download in some browsers; the file is tiny.
      setTimeout(() => URL.revokeObjectURL(href), 60000)
      status.textContent = 'Export complete'
    } catch (err) {
      status.textContent = 'Export failed. Please sign in again.'
    }
  })
})
