// Reveals the current demo TOTP code so a person taking over a run can finish the
// MFA step without an authenticator app. Served as a file so the CSP can forbid inline script.
'use strict'
document.addEventListener('DOMContentLoaded', () => {
  const button = document.getElementById('show-code')
  const out = document.getElementById('demo-code')
  if (!button || !out) return
  button.addEventListener('click', async () => {
    out.textContent = 'Loading…'
    try {
      const res = await fetch('/api/demo-code', { cache: 'no-store' })
      if (!res.ok) throw new Error('HTTP ' + res.status)
      const data = await res.json()
      out.textContent = 'Current code: ' + data.code + ' (changes in ' + data.remainingSeconds + ' s)'
      out.dataset.code = data.code
    } catch (err) {
      out.textContent = 'Could not load the demo code.'
    }
  })
})
