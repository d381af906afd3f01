// The Execution view against a real host: demo data, edits through the UI, lenses.
import { expect, test } from './fixtures'

test.describe('demo workspace', () => {
  test('shows the three demo tracks and the summary tiles', async ({ execution }) => {
    await expect(execution.cards).toHaveCount(3)
    await execution.expectTiles({ active: 1, waiting: 1, blocked: 1, progress: '47%' })

    const queue = execution.card('Execution queue')
    await queue.expectState('active')
    await expect(queue.progressBar()).toHaveAttribute('aria-valuenow', '40')
    await expect(queue.progressText()).toHaveText('40% · 2/5 core steps')
    await expect(queue.fact('next-action')).toHaveText('Run the Acme invoice export flow for this month')
    await expect(queue.fact('owner')).toHaveText('Dana Ortiz')
    await expect(queue.steps()).toHaveCount(6)
    await expect(queue.checkpoints()).toHaveCount(3)
    await expect(queue.root.getByTestId('track-next-checkpoint')).toHaveText(
      'Export evidence captured (evidence, ready)',
    )

    const mfa = execution.card('Browser MFA continuity')
    await mfa.expectState('waiting')
    await expect(mfa.fact('waiting-on')).toHaveText('MFA / operator login assist')

    const persisted = execution.card('Persisted runtime objects')
    await persisted.expectState('blocked')
    await expect(persisted.fact('blocker')).toHaveText('Compliance has not decided how long evidence is kept')
  })

  test('marking a step blocked blocks the card and raises the blocked tile', async ({ execution }) => {
    const queue = execution.card('Execution queue')
    await queue.setStepState('Run the export for the current month', 'blocked')
    await queue.expectState('blocked')
    await expect(queue.fact('blocker')).toHaveText('Step blocked: Run the export for the current month')
    await execution.expectTiles({ active: 0, waiting: 1, blocked: 2 })

    // And back: the step moves on, the card is active again.
    await queue.setStepState('Run the export for the current month', 'done')
    await queue.expectState('active')
    await expect(queue.progressText()).toHaveText('60% · 3/5 core steps')
    await execution.expectTiles({ active: 1, blocked: 1, progress: '53%' })
  })

  test('resolving a blocker clears it from the card', async ({ execution }) => {
    const persisted = execution.card('Persisted runtime objects')
    await expect(persisted.blockers()).toHaveCount(1)
    await persisted.resolveBlocker('Compliance has not decided how long evidence is kept')
    await expect(persisted.blockers()).toHaveCount(0)
    await expect(persisted.root.getByText('1 resolved')).toBeVisible()
    // Still blocked by its blocked step, which the card now names as the current blocker.
    await persisted.expectState('blocked')
    await expect(persisted.fact('blocker')).toHaveText('Step blocked: Agree evidence retention')

    await persisted.setStepState('Agree evidence retention', 'done')
    await persisted.expectState('active')
    await expect(persisted.fact('blocker')).toHaveText('None')
    await execution.expectTiles({ active: 2, blocked: 0 })

    // A blocker added by hand blocks the card until it is resolved.
    await persisted.addBlocker('Audit team on holiday', 'Marek Novak')
    await persisted.expectState('blocked')
    await execution.expectTiles({ blocked: 1 })
    await persisted.resolveBlocker('Audit team on holiday')
    await persisted.expectState('active')
    await execution.expectTiles({ blocked: 0 })
  })

  test('lenses filter the cards by state', async ({ execution }) => {
    await expect(execution.lens('All')).toHaveAttribute('aria-pressed', 'true')
    for (const [lens, state] of [
      ['Active', 'active'],
      ['Waiting', 'waiting'],
      ['Blocked', 'blocked'],
    ] as const) {
      await execution.lens(lens).click()
      await expect(execution.lens(lens)).toHaveAttribute('aria-pressed', 'true')
      await expect(execution.cards).toHaveCount(1)
      await expect(execution.cards.first()).toHaveAttribute('data-state', state)
    }
    // A track that becomes blocked while the Blocked lens is on joins it.
    await execution.lens('All').click()
    await execution.card('Execution queue').setStepState('Review the downloaded CSV', 'blocked')
    await execution.lens('Blocked').click()
    await expect(execution.cards).toHaveCount(2)
    await expect(execution.lens('Blocked')).toContainText('2')
    await execution.lens('Waiting').click()
    await expect(execution.cards).toHaveCount(1)
    await execution.lens('All').click()
    await expect(execution.cards).toHaveCount(3)
  })
})

test.describe('empty workspace', () => {
  test.use({ demo: false })

  test('creating a track with steps and checkpoints updates the card and tiles', async ({ execution, page }) => {
    await expect(page.getByText('No tracks yet.')).toBeVisible()
    await execution.expectTiles({ active: 0, waiting: 0, blocked: 0, progress: '0%' })

    const card = await execution.createTrack({
      title: 'Quarterly audit export',
      owner: 'Ada Byrne',
      due: '2026-12-15',
      nextAction: 'Collect the ledgers',
      objective: 'Deliver the Q4 audit bundle',
      steps: ['Collect the ledgers', 'Reconcile totals'],
    })
    await card.expectState('active')
    await expect(card.steps()).toHaveCount(2)
    await expect(card.progressText()).toHaveText('0% · 0/2 core steps')
    await expect(card.fact('owner')).toHaveText('Ada Byrne')
    await expect(card.fact('due')).toHaveText('2026-12-15')
    await expect(card.fact('next-action')).toHaveText('Collect the ledgers')
    await execution.expectTiles({ active: 1, waiting: 0, blocked: 0, progress: '0%' })

    await card.addStep('Publish the bundle', { owner: 'Ada Byrne' })
    await card.addStep('Archive scratch files', { core: false })
    await expect(card.steps()).toHaveCount(4)
    await expect(card.progressText()).toHaveText('0% · 0/3 core steps')

    await card.addCheckpoint('Controller sign-off', 'approval', 'Controller')
    await expect(card.checkpoints()).toHaveCount(1)
    await expect(card.checkpoints().first()).toHaveAttribute('data-state', 'pending')
    await expect(card.root.getByTestId('track-next-checkpoint')).toHaveText('Controller sign-off (approval, pending)')

    await card.setStepState('Collect the ledgers', 'done')
    await expect(card.progressBar()).toHaveAttribute('aria-valuenow', '33')
    await expect(card.progressText()).toHaveText('33% · 1/3 core steps')
    await execution.expectTiles({ progress: '33%' })

    await card.setCheckpointState('Controller sign-off', 'waiting')
    await card.expectState('waiting')
    await execution.expectTiles({ active: 0, waiting: 1 })

    await card.setCheckpointState('Controller sign-off', 'passed')
    await card.setStepState('Reconcile totals', 'done')
    await card.setStepState('Publish the bundle', 'done')
    await card.expectState('done')
    await expect(card.progressText()).toHaveText('100% · 3/3 core steps')
    await execution.expectTiles({ active: 0, waiting: 0, blocked: 0, progress: '100%' })
  })

  test('a track can be created and edited with the keyboard only', async ({ execution, page }) => {
    await page.getByRole('button', { name: 'New track' }).focus()
    await page.keyboard.press('Enter')
    // The title field takes focus when the form opens.
    await page.keyboard.type('Keyboard track')
    await page.keyboard.press('Tab')
    await page.keyboard.type('Kim')
    await page.keyboard.press('Enter')
    const card = execution.card('Keyboard track')
    await expect(card.root).toBeVisible()
    await expect(card.fact('owner')).toHaveText('Kim')

    await card.root.getByRole('button', { name: /^Add step to / }).focus()
    await page.keyboard.press('Enter')
    await page.keyboard.type('First step')
    await page.keyboard.press('Enter')
    await expect(card.steps()).toHaveCount(1)
    await page.keyboard.press('Escape')

    const select = card.root.getByRole('combobox', { name: 'State of step First step' })
    await select.focus()
    await expect(select).toHaveValue('queued')
    // On a closed native select the arrow keys change the value directly.
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await expect(select).toHaveValue('done')
    await expect(card.progressText()).toHaveText('100% · 1/1 core steps')
    await card.expectState('done')
  })
})
