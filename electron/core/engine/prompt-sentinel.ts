// The in-page half of the prompt watcher: a small script in an isolated world of every
// frame (popups and out-of-process iframes included) that watches the DOM and calls a
// binding only when its cheap answer to "could this be a sign-in prompt?" changes. The
// page's own scripts cannot see the world, the binding or the observer, so they can
// neither detect automation by it nor break it. The full detector (mfa-detect.ts) confirms
// in Node; this script only decides when it is worth asking.
import type { BrowserContext, CDPSession, Frame, Page } from 'playwright-core'

export const SENTINEL_WORLD = '__opdesk_prompt_sentinel'
export const SENTINEL_BINDING = '__opdeskPromptSignal'

/** What the sentinel reports: its answer, when the change behind it happened, and where. */
export interface SentinelReport {
  /** The pre-filter's answer; '' means nothing prompt-like in this document. */
  sig: string
  /** Epoch ms of the first DOM change since the last answer (the prompt's render time). */
  at: number
  top: boolean
  url: string
}

// A string, not a function: bundlers wrap functions in helpers that do not exist in the page.
// Throttled, not debounced: a page that never stops changing (a clock, a spinner) still gets
// an answer every THROTTLE_MS. Only names and visibility are read, never a field's value.
const THROTTLE_MS = 120
export const SENTINEL_SCRIPT = `(() => {
  if (globalThis.__opdeskSentinel) return;
  globalThis.__opdeskSentinel = true;
  const send = globalThis[${JSON.stringify(SENTINEL_BINDING)}];
  if (typeof send !== 'function') return;
  const WORDS = [
    /one[- ]?time|verification|security code|authentication code|auth code|two[- ]?(?:step|factor)|\\b2fa\\b|\\bmfa\\b|\\botp\\b|passcode|authenticator|enter the (?:\\d-digit )?code|sent (?:you )?a (?:\\d-digit )?code|verify (?:it|that it)['’]?s you/,
    /approve|check your phone|notification/,
    /text message|\\bsms\\b|phone call|security key|passkey|backup code|recovery code|another (?:way|method)/,
  ];
  const CODEY = /otp|totp|mfa|2fa|tfa|code|token|pin|passcode|one.?time|verif/i;
  const TYPES = ['', 'text', 'tel', 'number', 'password', 'email', 'search'];
  const shown = (el) => {
    if (el.checkVisibility && !el.checkVisibility({ visibilityProperty: true })) return false;
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1;
  };
  const answer = () => {
    const parts = [];
    let fields = 0;
    for (const el of document.querySelectorAll('input, textarea')) {
      const type = el.tagName === 'TEXTAREA' ? 'text' : (el.getAttribute('type') || '').toLowerCase();
      if (!TYPES.includes(type) || el.disabled || !shown(el)) continue;
      fields++;
      const names = [el.id, el.getAttribute('name'), el.getAttribute('placeholder'), el.getAttribute('aria-label'), el.getAttribute('autocomplete'), el.getAttribute('inputmode')].join(' ');
      if (type === 'password') parts.push('pw');
      else if (CODEY.test(names) || (el.maxLength >= 4 && el.maxLength <= 8)) parts.push('code:' + names.slice(0, 60));
      if (parts.length > 12) break;
    }
    const body = document.body;
    const text = body ? String(body.innerText || '').slice(0, 20000).toLowerCase() : '';
    const words = [];
    WORDS.forEach((re, i) => { if (re.test(text)) words.push('w' + i); });
    // An ordinary form (no password, no code-like field, no sign-in wording) is not worth
    // a look: only then does the answer stay empty, so plain pages cost no detector call.
    if (parts.length === 0 && words.length === 0) return '';
    parts.push('fields:' + Math.min(fields, 9), ...words);
    return parts.join('|');
  };
  let last = null;
  // The first answer dates from when the document's DOM was parsed, not from when this
  // script got to it (a popup may render before the watcher reaches it).
  const nav = performance.getEntriesByType('navigation')[0];
  let since = Math.round(performance.timeOrigin + (nav && nav.domInteractive > 0 ? nav.domInteractive : performance.now()));
  let timer = 0;
  const top = window === window.top;
  const check = () => {
    timer = 0;
    let sig;
    try { sig = answer(); } catch (e) { return; }
    if (sig === last) { since = 0; return; }
    last = sig;
    const at = since || Date.now();
    since = 0;
    try { send(JSON.stringify({ sig, at, top, url: location.href })); } catch (e) {}
  };
  const changed = () => {
    if (!since) since = Date.now();
    if (!timer) timer = setTimeout(check, ${THROTTLE_MS});
  };
  const start = () => {
    new MutationObserver(changed).observe(document, {
      subtree: true, childList: true, characterData: true, attributes: true,
      attributeFilter: ['style', 'class', 'hidden', 'type', 'name', 'id', 'placeholder', 'aria-label', 'aria-hidden', 'autocomplete', 'disabled', 'open'],
    });
    // Transitions and late styles show elements without a DOM change.
    addEventListener('transitionend', changed, true);
    addEventListener('animationend', changed, true);
    addEventListener('load', changed);
    check();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
  else start();
})()`

/**
 * Installs the sentinel on one CDP target (a page, or an out-of-process iframe) for its
 * current and future documents. Returns the session, or null when the target has none of
 * its own (an in-process iframe: its page's session already covers it) or went away.
 */
export async function installSentinel(
  context: BrowserContext,
  target: Page | Frame,
  onReport: (r: SentinelReport) => void,
): Promise<CDPSession | null> {
  let session: CDPSession
  try {
    session = await context.newCDPSession(target)
  } catch {
    return null
  }
  session.on('Runtime.bindingCalled', (e) => {
    if (e.name !== SENTINEL_BINDING) return
    try {
      onReport(JSON.parse(e.payload) as SentinelReport)
    } catch {
      // Not ours to read: the payload is our own JSON unless the target is going away.
    }
  })
  try {
    // The binding call is only delivered to a session with the runtime domain on, and
    // scripts for new documents are only injected for a session with the page domain on.
    // Sent together (CDP runs them in order): one round trip instead of four per target.
    await Promise.all([
      session.send('Runtime.enable'),
      session.send('Page.enable'),
      session.send('Runtime.addBinding', { name: SENTINEL_BINDING, executionContextName: SENTINEL_WORLD }),
      session.send('Page.addScriptToEvaluateOnNewDocument', {
        source: SENTINEL_SCRIPT,
        worldName: SENTINEL_WORLD,
        runImmediately: true,
      } as { source: string; worldName: string }),
    ])
    return session
  } catch {
    await session.detach().catch(() => {})
    return null
  }
}
