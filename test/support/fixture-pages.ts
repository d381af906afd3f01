// HTML for the end-to-end fixture site. Each page is one kind of prompt (or a
// deliberate non-prompt) that the MFA detector and the takeover view must handle.
// Inline strings keep every page readable next to the route that serves it.
import { escapeHtml as e } from '../../electron/core/demo/http-util'

/** The one right code on every fixture page: fixed so tests are deterministic. */
export const FIXTURE_CODE = '123456'

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:34rem;padding:0 1rem;color:#1b2233}
label{display:block;margin-top:.8rem;font-weight:600}input,select,button{font:inherit}
input[type=text],input[type=email],input[type=password],input:not([type]){display:block;padding:.4rem;width:100%;box-sizing:border-box}
button{margin-top:1rem;padding:.45rem 1rem}.error{color:#b3261e}iframe{border:1px solid #ccc;width:100%;height:22rem}`

export function page(title: string, body: string, script = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(title)}</title><style>${STYLE}</style></head><body><main>${body}</main>${script ? `<script>${script}</script>` : ''}</body></html>`
}

const errorLine = (error?: string): string => (error ? `<p class="error" role="alert" id="error">${e(error)}</p>` : '')

/** The usual one-time-code field; `extra` lets a page add hidden fields or a checkbox. */
function otpForm(action: string, opts: { error?: string; extra?: string; button?: string; intro?: string } = {}): string {
  return `<p id="intro">${e(opts.intro ?? 'Enter the 6-digit verification code from your authenticator app.')}</p>${errorLine(opts.error)}
<form method="post" action="${e(action)}"><label for="otp">Verification code</label>
<input id="otp" name="otp" type="text" autocomplete="one-time-code" inputmode="numeric" maxlength="6" autofocus aria-describedby="intro">
${opts.extra ?? ''}<button type="submit">${e(opts.button ?? 'Verify')}</button></form>`
}

export const INCORRECT = 'That code is incorrect'

export const pages = {
  index(paths: readonly string[]): string {
    return page('Fixture pages', `<h1>Fixture pages</h1><ul>${paths.map((p) => `<li><a href="${e(p)}">${e(p)}</a></li>`).join('')}</ul>`)
  },

  done(): string {
    return page('Signed in', '<h1>Welcome back</h1><p>You are signed in.</p>')
  },

  autofocus(error?: string): string {
    return page('Two-step verification', `<h1>Two-step verification</h1>${otpForm('/mfa/autofocus', { error })}`)
  },

  // No autocomplete/inputmode hints: only the field name and label give it away.
  plain(error?: string): string {
    return page(
      'Confirm your sign-in',
      `<h1>Confirm your sign-in</h1><p>We sent a security code to your email address.</p>${errorLine(error)}
<form method="post" action="/mfa/plain"><label for="verification_code">Security code</label>
<input id="verification_code" name="verification_code" type="text"><button type="submit">Continue</button></form>`,
    )
  },

  wrongFirst(error: string | undefined, attempt: number, rejectFirst: boolean): string {
    const hidden = rejectFirst ? `<input type="hidden" name="attempt" value="${attempt}"><input type="hidden" name="rejectFirst" value="1">` : ''
    return page('Two-step verification', `<h1>Two-step verification</h1>${otpForm('/mfa/wrong-first', { error, extra: hidden })}`)
  },

  chooserStart(): string {
    return page(
      'Choose a verification method',
      `<h1>Choose a verification method</h1><p>How do you want to get your verification code?</p>
<form method="get" action="/mfa/chooser"><button type="submit" name="method" value="app">Authenticator app</button>
<button type="submit" name="method" value="sms">Text message</button></form>`,
    )
  },

  chooserCode(method: 'app' | 'sms', error?: string): string {
    const intro =
      method === 'sms' ? 'Enter the 6-digit code we texted to your phone ending in 42.' : 'Enter the 6-digit code from your authenticator app.'
    return page(
      'Two-step verification',
      `<h1>Two-step verification</h1>${otpForm(`/mfa/chooser?method=${method}`, { error, intro })}
<p><a href="/mfa/chooser">Choose another method</a></p>`,
    )
  },

  // Renders the field late from script and finishes with history.pushState, so
  // detection must cope with a field that appears without a navigation.
  spa(delayMs: number): string {
    return page(
      'Acme',
      '<div id="app"><p role="status">Loading…</p></div>',
      `const app = document.getElementById('app');
setTimeout(() => {
  app.innerHTML = '<h1>Two-step verification</h1><p id="intro">Enter the 6-digit verification code from your authenticator app.</p>' +
    '<p class="error" role="alert" id="error" hidden></p><form id="f"><label for="otp">Verification code</label>' +
    '<input id="otp" name="otp" type="text" autocomplete="one-time-code" inputmode="numeric" maxlength="6" aria-describedby="intro">' +
    '<button type="submit">Verify</button></form>';
  document.getElementById('otp').focus();
  document.getElementById('f').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const code = document.getElementById('otp').value;
    const res = await fetch('/api/verify', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code }) });
    const data = await res.json();
    if (!data.ok) { const err = document.getElementById('error'); err.textContent = ${JSON.stringify(INCORRECT)}; err.hidden = false; return; }
    history.pushState({}, '', '/done-spa');
    document.title = 'Signed in';
    app.innerHTML = '<h1>Welcome back</h1><p>You are signed in.</p>';
  });
}, ${delayMs});`,
    )
  },

  push(): string {
    return page(
      'Approve sign-in',
      `<h1>Approve the sign-in on your phone</h1><p>We sent a notification to the Acme app on your phone. Tap Approve, then continue here.</p>
<form method="post" action="/mfa/push"><button type="submit">I approved it</button></form>`,
    )
  },

  popupOpener(): string {
    return page(
      'Example Shop',
      `<h1>Example Shop</h1><p>Sign in to see your orders.</p><button type="button" id="signin">Sign in with Acme</button>`,
      `document.getElementById('signin').addEventListener('click', () => {
  window.open('/mfa/popup/auth', 'acme-auth', 'popup,width=480,height=560');
});`,
    )
  },

  popupAuth(error?: string): string {
    return page('Acme sign-in', `<h1>Acme sign-in</h1>${otpForm('/mfa/popup/auth', { error })}`)
  },

  // Tells the opener to continue and closes itself, like OAuth-style popups do.
  popupDone(): string {
    return page(
      'Signed in',
      '<h1>Welcome back</h1><p>You can close this window.</p>',
      `if (window.opener && !window.opener.closed) { window.opener.location.assign('/done'); window.close(); }
else { location.replace('/done'); }`,
    )
  },

  iframeHost(altOrigin: string): string {
    return page(
      'Checkout',
      `<h1>Checkout</h1><p>Confirm it is you to finish your order.</p>
<iframe id="mfa-frame" title="Acme verification" src="${e(altOrigin)}/frame/mfa"></iframe>`,
      `const allowed = ${JSON.stringify(altOrigin)};
window.addEventListener('message', (ev) => {
  if (ev.origin === allowed && ev.data && ev.data.type === 'mfa-ok') location.assign('/done');
});`,
    )
  },

  frameForm(error?: string): string {
    return page('Acme verification', `<h1>Acme verification</h1>${otpForm('/frame/mfa', { error })}`)
  },

  // targetOrigin is the top page's exact origin, never '*'.
  frameDone(topOrigin: string): string {
    return page(
      'Verified',
      '<p role="status">Verified.</p>',
      `window.parent.postMessage({ type: 'mfa-ok' }, ${JSON.stringify(topOrigin)});`,
    )
  },

  remember(error?: string): string {
    const box = '<label><input type="checkbox" id="remember" name="remember" value="1"> Remember this device</label>'
    return page('Two-step verification', `<h1>Two-step verification</h1>${otpForm('/mfa/remember', { error, extra: box })}`)
  },

  loginWall(error?: string): string {
    return page(
      'Sign in',
      `<h1>Sign in to continue</h1>${errorLine(error)}<form method="post" action="/login-wall">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit">Sign in</button></form>`,
    )
  },

  // The false-positive guard: a field named "code" on a page with no sign-in wording.
  search(query: string | null): string {
    const results = query === null ? '' : `<p id="results" role="status">No products match “${e(query)}”.</p>`
    return page(
      'Acme Store',
      `<h1>Products</h1><form method="get" action="/search"><label for="q">Find products</label>
<input id="q" name="code" placeholder="Search products" value="${e(query ?? '')}"><button type="submit">Search</button></form>${results}`,
    )
  },

  slow(ms: number): string {
    return page('Slow page', `<h1>Slow page</h1><p id="slow">Loaded after ${ms} ms</p>`)
  },

  form(result?: string): string {
    return page(
      'Order form',
      `<h1>Order form</h1><form method="post" action="/form/result">
<label for="name">Full name</label><input id="name" name="name" type="text">
<label for="company">Company</label><input id="company" name="company" type="text">
<label for="plan">Plan</label><select id="plan" name="plan"><option value="basic">Basic</option><option value="pro">Pro</option><option value="enterprise">Enterprise</option></select>
<label><input type="checkbox" id="updates" name="updates" value="yes"> Email me product updates</label>
<button type="submit">Submit</button></form><output id="result" role="status">${e(result ?? '')}</output>`,
    )
  },

  download(): string {
    return page(
      'Reports',
      '<h1>Reports</h1><form method="get" action="/download/file"><button type="submit">Download report</button></form>',
    )
  },

  dialogs(): string {
    return page(
      'Dialogs',
      `<h1>Dialogs</h1><button type="button" id="alert">Show alert</button> <button type="button" id="confirm">Show confirm</button>
<button type="button" id="prompt">Show prompt</button><output id="dialog-result" role="status"></output>`,
      `const out = document.getElementById('dialog-result');
document.getElementById('alert').onclick = () => { alert('Heads up'); out.textContent = 'alert closed'; };
document.getElementById('confirm').onclick = () => { out.textContent = 'confirm: ' + confirm('Proceed?'); };
document.getElementById('prompt').onclick = () => { const v = prompt('Your name?', ''); out.textContent = v === null ? 'prompt: cancelled' : 'prompt: ' + v; };`,
    )
  },

  select(): string {
    return page(
      'Pick a fruit',
      `<h1>Pick a fruit</h1><label for="fruit">Fruit</label><select id="fruit" name="fruit">
<option value="apple">Apple</option><option value="banana">Banana</option><option value="cherry">Cherry</option></select>
<output id="select-result" role="status">Selected: apple</output>`,
      `const s = document.getElementById('fruit');
s.addEventListener('change', () => { document.getElementById('select-result').textContent = 'Selected: ' + s.value; });`,
    )
  },
}
