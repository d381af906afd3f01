// axe-core on the current page: the serious and critical violations, one readable line each.
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'

/** `exclude`: selectors left out, for third-party content framed in (Playwright's trace viewer). */
export async function seriousViolations(page: Page, opts: { exclude?: string[] } = {}): Promise<string[]> {
  let builder = new AxeBuilder({ page })
  for (const sel of opts.exclude ?? []) builder = builder.exclude(sel)
  const results = await builder.analyze()
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 5)
          .join('\n  ')}`,
    )
}
