// The Execution view as a test sees it: tiles, lenses and track cards, by role and test id.
import { expect, type Locator, type Page } from '@playwright/test'

export type Tile = 'active' | 'waiting' | 'blocked' | 'progress'

export class ExecutionPage {
  readonly cards: Locator
  constructor(readonly page: Page) {
    this.cards = page.getByTestId('track-card')
  }

  async goto(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Execution' }).click()
    await this.waitForTracks()
  }

  async waitForTracks(): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1, name: 'Execution' })).toBeVisible()
    await expect(this.page.getByText('Loading tracks…')).toHaveCount(0)
  }

  tile(name: Tile): Locator {
    return this.page.getByTestId(`summary-${name}-value`)
  }

  async expectTiles(t: Partial<Record<Tile, string | number>>): Promise<void> {
    for (const [k, v] of Object.entries(t)) await expect(this.tile(k as Tile)).toHaveText(String(v))
  }

  lens(name: 'All' | 'Active' | 'Waiting' | 'Blocked'): Locator {
    return this.page
      .getByRole('group', { name: 'Show tracks' })
      .getByRole('button', { name: new RegExp(`^${name}\\b`) })
  }

  card(title: string): TrackCard {
    return new TrackCard(
      this.page,
      this.cards.filter({ has: this.page.getByRole('heading', { level: 2, name: title, exact: true }) }),
    )
  }

  async createTrack(f: {
    title: string
    owner?: string
    due?: string
    nextAction?: string
    objective?: string
    steps?: string[]
  }): Promise<TrackCard> {
    await this.page.getByRole('button', { name: 'New track' }).click()
    const form = this.page.getByRole('form', { name: 'New track' })
    await form.getByLabel('Title').fill(f.title)
    if (f.owner) await form.getByLabel('Owner').fill(f.owner)
    if (f.due) await form.getByLabel('Due').fill(f.due)
    if (f.nextAction) await form.getByLabel('Next action').fill(f.nextAction)
    if (f.objective) await form.getByLabel('Objective').fill(f.objective)
    if (f.steps) await form.getByLabel('Steps').fill(f.steps.join('\n'))
    await form.getByRole('button', { name: 'Create track' }).click()
    await expect(form).toHaveCount(0)
    const card = this.card(f.title)
    await expect(card.root).toBeVisible()
    return card
  }
}

export class TrackCard {
  constructor(
    readonly page: Page,
    readonly root: Locator,
  ) {}

  state(): Locator {
    return this.root.getByTestId('track-state')
  }

  async expectState(state: 'active' | 'waiting' | 'blocked' | 'done'): Promise<void> {
    await expect(this.root).toHaveAttribute('data-state', state)
    await expect(this.state()).toHaveText(new RegExp(`${state}$`))
  }

  progressBar(): Locator {
    return this.root.getByRole('progressbar')
  }

  progressText(): Locator {
    return this.root.getByTestId('track-progress')
  }

  fact(name: 'next-action' | 'waiting-on' | 'owner' | 'due' | 'blocker'): Locator {
    return this.root.getByTestId(`track-${name}`)
  }

  steps(): Locator {
    return this.root.getByTestId('step-row')
  }

  checkpoints(): Locator {
    return this.root.getByTestId('checkpoint-row')
  }

  blockers(): Locator {
    return this.root.getByTestId('blocker-row')
  }

  async setStepState(step: string, state: string): Promise<void> {
    await this.root.getByRole('combobox', { name: `State of step ${step}`, exact: true }).selectOption(state)
  }

  async setCheckpointState(checkpoint: string, state: string): Promise<void> {
    await this.root
      .getByRole('combobox', { name: `State of checkpoint ${checkpoint}`, exact: true })
      .selectOption(state)
  }

  async addStep(title: string, opts: { owner?: string; core?: boolean } = {}): Promise<void> {
    await this.root.getByRole('button', { name: /^Add step to / }).click()
    const form = this.root.getByRole('form', { name: 'Add step' })
    await form.getByLabel('Step title').fill(title)
    if (opts.owner) await form.getByLabel('Owner').fill(opts.owner)
    if (opts.core === false) await form.getByLabel(/Core step/).uncheck()
    await form.getByRole('button', { name: 'Add step' }).click()
    await expect(this.steps().filter({ hasText: title })).toHaveCount(1)
    await form.getByRole('button', { name: 'Done' }).click()
  }

  async addCheckpoint(title: string, kind: string, owner?: string): Promise<void> {
    await this.root.getByRole('button', { name: /^Add checkpoint to / }).click()
    const form = this.root.getByRole('form', { name: 'Add checkpoint' })
    await form.getByLabel('Checkpoint title').fill(title)
    await form.getByLabel('Kind').selectOption(kind)
    if (owner) await form.getByLabel('Owner').fill(owner)
    await form.getByRole('button', { name: 'Add checkpoint' }).click()
    await expect(this.checkpoints().filter({ hasText: title })).toHaveCount(1)
    await form.getByRole('button', { name: 'Done' }).click()
  }

  async addBlocker(title: string, owner?: string): Promise<void> {
    await this.root.getByRole('button', { name: /^Add blocker to / }).click()
    const form = this.root.getByRole('form', { name: 'Add blocker' })
    await form.getByLabel('Blocker').fill(title)
    if (owner) await form.getByLabel('Owner').fill(owner)
    await form.getByRole('button', { name: 'Add blocker' }).click()
    await expect(form).toHaveCount(0)
  }

  async resolveBlocker(title: string): Promise<void> {
    await this.root.getByRole('button', { name: `Resolve blocker: ${title}` }).click()
  }
}
