// Finding MFA and login prompts on a page by itself, in every frame and popup. A probe
// reads what a person would see (visible fields and their labels, visible wording,
// buttons; never a field's value, only whether it is empty) and a small score decides.
// One weak signal never triggers: a field named "code" on a shop's search form is not MFA.
import type { Frame, Page } from 'playwright-core'

export type PromptKind = 'code' | 'push' | 'chooser' | 'login' | 'unknown'

export interface ProbedInput {
  type: string
  autocomplete: string
  /** id, name, placeholder, aria-label and label text, as written on the page. */
  names: string
  maxLength: number
  inputMode: string
  pattern: string
  empty: boolean
  /** A CSS selector for masking this field in screenshots, when one is unambiguous. */
  selector: string | null
}

export interface PromptFeatures {
  url: string
  title: string
  /** Visible text, lower-cased, whitespace collapsed, cut at 8000 characters. */
  text: string
  inputs: ProbedInput[]
  buttons: string[]
  readyState: string
}

export interface ScoreOptions {
  /** An explicit `mfa` step: the author said a person is needed here, so ask for less. */
  lenient?: boolean
  /**
   * While waiting for a person: a field they typed into is still the prompt. After a step,
   * a field the flow itself filled is not a prompt waiting for a person.
   */
  ignoreValues?: boolean
}

export interface PromptVerdict {
  detected: boolean
  kind: PromptKind
  score: number
  /** Why, in words an operator can check; never a field's value. */
  signals: string[]
  /** Selectors of the prompt's fields, to mask in screenshots taken afterwards. */
  fields: string[]
}

const WORDING: Array<[RegExp, string]> = [
  [/\btwo[- ]step\b|\b2[- ]step\b/, 'two-step'],
  [/\btwo[- ]factor\b|\b2fa\b|\bmulti[- ]factor\b/, 'two-factor'],
  [/\bverification code\b|\bauthentication code\b|\bsecurity code\b/, 'verification code'],
  [/\bone[- ]time (?:code|password|passcode|pin|token)\b/, 'one-time code'],
  // "OTP Token", "OTP code": admin frameworks label the field with the acronym alone.
  [/\botp\b|\btotp\b/, 'OTP'],
  [/\bauthenticator app\b/, 'authenticator app'],
  [/\bapprove (?:the|this|your) sign[- ]?in\b/, 'approve the sign-in'],
  [
    /\benter the (?:\d-digit )?code\b|\benter the \d-digit\b|\bwe (?:sent|texted|emailed) (?:you )?a (?:\d-digit )?code\b/,
    'enter the code',
  ],
  [
    /\bverify (?:it['’]?s|that it['’]?s) you\b|\bconfirm (?:it['’]?s|that it['’]?s) you\b|\bconfirm your sign[- ]?in\b|\b(?:verify|confirm) your identity\b/,
    "verify it's you",
  ],
]
const PUSH =
  /\bapprove\b.{0,60}\b(?:on|in|from|with) (?:your|the) (?:phone|device|mobile|app)\b|\bcheck your phone\b|\btap approve\b|\bsent (?:a|you a) (?:push )?notification\b/
const METHOD =
  /authenticator app|text message|\bsms\b|phone call|call me|voice call|email (?:me )?(?:a )?code|security key|passkey|backup code|recovery code|use another method|try another way|push notification/
const CHOOSER_WORDING = /verification method|how do you want|choose (?:a|how|another) (?:way|method)/
const MFA_FIELD =
  /\b(?:otp|totp|mfa|2fa|tfa|two factor|2 step|two step|one time|verification code|verify code|security code|passcode|auth code|authentication code|authenticator code|sms code|access code)\b/
const CODE_FIELD = /\b(?:code|pin|token)\b/
const USER_FIELD = /\b(?:user ?name|username|email|e mail|login|account)\b/
const SIGN_IN = /\b(?:sign|log) ?in\b/

/** "verificationCode" / "verification_code" / "otp-input" → words. */
export function words(s: string): string {
  return s
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_\-.:[\]]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()
}

export function scorePrompt(f: PromptFeatures, opts: ScoreOptions = {}): PromptVerdict {
  const threshold = opts.lenient ? 2 : 3
  const counts = (i: ProbedInput): boolean => opts.ignoreValues === true || i.empty
  const wording = WORDING.filter(([re]) => re.test(f.text) || re.test(f.title)).map(([, name]) => name)
  const wordingScore = Math.min(2, wording.length)

  // Code prompts: the best one-time-code-looking field.
  let best = { score: 0, signals: [] as string[], selector: null as string | null }
  const codeFields: string[] = []
  for (const input of f.inputs) {
    if (!counts(input)) continue
    const names = words(input.names)
    const signals: string[] = []
    let score = 0
    if (input.autocomplete.toLowerCase().split(/\s+/).includes('one-time-code')) {
      score += 3
      signals.push('one-time-code field')
    }
    if (MFA_FIELD.test(names)) {
      score += 2
      signals.push(`MFA-named field (${clip(names)})`)
    } else if (CODE_FIELD.test(names) && input.type !== 'password') {
      score += 1
      signals.push(`code-named field (${clip(names)})`)
    }
    if (score === 0 && input.type === 'password') continue
    const numeric =
      (input.maxLength >= 4 && input.maxLength <= 8) ||
      /^(?:numeric|decimal)$/.test(input.inputMode) ||
      /\\d|\[0-9\]/.test(input.pattern)
    if (numeric) {
      score += 1
      signals.push('short numeric field')
    }
    score = Math.min(score, 4)
    if (score > 0 && input.selector) codeFields.push(input.selector)
    if (score > best.score) best = { score, signals, selector: input.selector }
  }
  const wordingSignals = wording.map((w) => `wording "${w}"`)
  if (best.score >= 1 && (best.score >= 3 || wordingScore >= 1) && best.score + wordingScore >= threshold) {
    return verdict('code', best.score + wordingScore, [...best.signals, ...wordingSignals], codeFields)
  }

  if (PUSH.test(f.text)) return verdict('push', 3 + wordingScore, ['push approval wording', ...wordingSignals], [])

  const methods = [...new Set(f.buttons.filter((b) => METHOD.test(b)))]
  if (methods.length >= 2 && (wordingScore >= 1 || CHOOSER_WORDING.test(f.text))) {
    return verdict(
      'chooser',
      3 + wordingScore,
      [`method choices: ${methods.slice(0, 4).map(clip).join(', ')}`, ...wordingSignals],
      [],
    )
  }

  // A login wall: an (empty) password field plus a way to sign in or a user name field.
  const passwords = f.inputs.filter((i) => i.type === 'password' && counts(i))
  if (passwords.length > 0) {
    const signals = ['password field']
    let score = 2
    if (f.buttons.some((b) => SIGN_IN.test(b)) || SIGN_IN.test(f.title)) {
      score += 1
      signals.push('sign-in wording')
    }
    if (
      f.inputs.some(
        (i) =>
          i.type === 'email' ||
          /username|email/.test(i.autocomplete) ||
          (i.type !== 'password' && USER_FIELD.test(words(i.names))),
      )
    ) {
      score += 1
      signals.push('user name field')
    }
    if (score >= 3) {
      const fields = passwords.map((p) => p.selector).filter((s): s is string => s !== null)
      return verdict('login', score, signals, fields)
    }
  }

  // Only an explicit mfa step accepts wording alone: prose about 2FA is not a prompt.
  if (opts.lenient && wordingScore >= 1 && f.inputs.length > 0)
    return verdict('unknown', wordingScore + 1, wordingSignals, [])
  return {
    detected: false,
    kind: 'unknown',
    score: Math.max(best.score + wordingScore, 0),
    signals: [...best.signals, ...wordingSignals],
    fields: [],
  }
}

function verdict(kind: PromptKind, score: number, signals: string[], fields: string[]): PromptVerdict {
  return { detected: true, kind, score, signals, fields: [...new Set(fields)] }
}

const clip = (s: string): string => (s.length > 40 ? `${s.slice(0, 39)}…` : s)

// ── the in-page probe ─────────────────────────────────────────────────────────

// A string, not a function: build tools (tsx, esbuild keepNames) wrap functions in helpers
// such as __name() that do not exist inside the page, so a serialised function would throw there.
// It waits (briefly) for a document still parsing, which saves a round trip per step.
export const PROBE_SCRIPT = `(async () => {
  if (document.readyState === 'loading') {
    await new Promise((resolve) => { document.addEventListener('DOMContentLoaded', resolve, { once: true }); setTimeout(resolve, 800); });
  }
  const norm = (s) => String(s || '').replace(/\\s+/g, ' ').trim();
  const shown = (el) => {
    if (el.checkVisibility && !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1;
  };
  const labelOf = (el) => {
    const parts = [];
    if (el.labels) for (const l of el.labels) parts.push(l.textContent);
    const by = el.getAttribute('aria-labelledby');
    if (by) for (const id of by.split(/\\s+/)) { const t = document.getElementById(id); if (t) parts.push(t.textContent); }
    return parts.join(' ');
  };
  const selectorOf = (el) => {
    const tag = el.tagName.toLowerCase();
    if (el.id && document.querySelectorAll('#' + CSS.escape(el.id)).length === 1) return '#' + CSS.escape(el.id);
    const name = el.getAttribute('name');
    if (name) return tag + '[name="' + name.replace(/["\\\\]/g, '\\\\$&') + '"]';
    if ((el.getAttribute('autocomplete') || '').includes('one-time-code')) return tag + '[autocomplete="one-time-code"]';
    return null;
  };
  const TYPES = ['', 'text', 'tel', 'number', 'password', 'email', 'search'];
  const inputs = [];
  for (const el of document.querySelectorAll('input, textarea')) {
    if (inputs.length >= 40) break;
    const type = el.tagName === 'TEXTAREA' ? 'text' : (el.getAttribute('type') || '').toLowerCase();
    if (!TYPES.includes(type) || el.disabled || el.readOnly || !shown(el)) continue;
    inputs.push({
      type: type || 'text',
      autocomplete: norm(el.getAttribute('autocomplete')),
      names: norm([el.id, el.getAttribute('name'), el.getAttribute('placeholder'), el.getAttribute('aria-label'), labelOf(el)].filter(Boolean).join(' | ')),
      maxLength: typeof el.maxLength === 'number' ? el.maxLength : -1,
      inputMode: norm(el.getAttribute('inputmode')).toLowerCase(),
      pattern: el.getAttribute('pattern') || '',
      empty: el.value === '',
      selector: selectorOf(el),
    });
  }
  const buttons = [];
  for (const el of document.querySelectorAll('button, [role=button], input[type=submit], input[type=button], a[href]')) {
    if (buttons.length >= 60) break;
    if (!shown(el)) continue;
    const t = norm(el.tagName === 'INPUT' ? el.value : el.textContent).toLowerCase();
    if (t && t.length <= 80) buttons.push(t);
  }
  const body = document.body;
  return {
    url: location.href,
    title: norm(document.title).toLowerCase(),
    text: norm(body ? body.innerText : '').toLowerCase().slice(0, 8000),
    inputs,
    buttons,
    readyState: document.readyState,
  };
})()`

export async function probeFrame(frame: Frame, timeoutMs = 1_000): Promise<PromptFeatures | null> {
  let timer: NodeJS.Timeout | undefined
  try {
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs)
    })
    const result = await Promise.race([frame.evaluate<unknown>(PROBE_SCRIPT), timeout])
    return isFeatures(result) ? result : null
  } catch {
    // Navigating, detached, or closed: nothing to read this time.
    return null
  } finally {
    clearTimeout(timer)
  }
}

function isFeatures(v: unknown): v is PromptFeatures {
  const f = v as PromptFeatures | null
  return (
    !!f &&
    typeof f.text === 'string' &&
    typeof f.url === 'string' &&
    Array.isArray(f.inputs) &&
    Array.isArray(f.buttons)
  )
}

export interface DetectedPrompt extends PromptVerdict {
  /** URL of the page (the top document) that shows the prompt. */
  pageUrl: string
  frameUrl: string
  where: 'page' | 'iframe' | 'popup'
  /** Identifies this prompt so a forced resume is not followed by the same detection. */
  key: string
}

/**
 * The strongest prompt in any frame of the given pages (the run's page first, then popups),
 * or null. Only reads: it never clicks, types or focuses, so a person can hold the page.
 */
export async function detectPrompt(pages: Page[], opts: ScoreOptions = {}): Promise<DetectedPrompt | null> {
  return (await lookForPrompt(pages, opts)).prompt
}

/**
 * detectPrompt, and whether every page's top document answered. A page mid-navigation
 * cannot answer; while waiting for a person that is "don't know", not "the prompt is gone".
 */
export async function lookForPrompt(
  pages: Page[],
  opts: ScoreOptions = {},
): Promise<{ prompt: DetectedPrompt | null; complete: boolean }> {
  let complete = true
  const jobs: Array<Promise<DetectedPrompt | null>> = []
  pages.forEach((page, pageIndex) => {
    if (page.isClosed()) return
    const main = page.mainFrame()
    for (const frame of page.frames().slice(0, 20)) {
      if (frame.isDetached()) continue
      jobs.push(
        probeFrame(frame).then((features) => {
          if (!features) {
            if (frame === main) complete = false
            return null
          }
          const v = scorePrompt(features, opts)
          if (!v.detected) return null
          const where = pageIndex > 0 ? 'popup' : frame === main ? 'page' : 'iframe'
          const signals =
            where === 'page'
              ? v.signals
              : [...v.signals, where === 'popup' ? 'in a popup' : `in a frame from ${origin(features.url)}`]
          return {
            ...v,
            signals,
            pageUrl: page.url(),
            frameUrl: features.url,
            where,
            key: `${v.kind}@${stripQuery(features.url)}`,
          }
        }),
      )
    }
  })
  const found = (await Promise.all(jobs)).filter((d): d is DetectedPrompt => d !== null)
  return { prompt: found.sort((a, b) => b.score - a.score)[0] ?? null, complete }
}

function origin(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return url
  }
}

function stripQuery(url: string): string {
  return url.replace(/[?#].*$/, '')
}
