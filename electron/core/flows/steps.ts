// Steps: `- action: value` in YAML, `{ action, ...fields, label?, timeout?, line }` after reading.
import { isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from 'yaml'
import { FLOW_ACTIONS, type FlowAction, type FlowStep } from '../../../shared/flow'
import { readDuration, readField, type ReadContext } from './fields'
import { entries, isEmpty, items, readBoolean, joinPath, scalarText, unknownKey, type Entry } from './nodes'
import { ACTION_SPECS, STEP_MODIFIERS, type ActionSpec } from './specs'
import { didYouMean } from './suggest'

const EXAMPLE_STEP = '"- click: \\"#submit\\""'

function isAction(key: string): key is FlowAction {
  return (FLOW_ACTIONS as readonly string[]).includes(key)
}

export function readSteps(node: Node | null, keyNode: Scalar, ctx: ReadContext): FlowStep[] | undefined {
  const { sink } = ctx
  if (isEmpty(node) || (isSeq(node) && node.items.length === 0)) {
    sink.add(
      isSeq(node) ? node : keyNode,
      `"steps" is empty; add at least one step such as "- goto: https://…"`,
      'steps',
    )
    return undefined
  }
  if (!isSeq(node)) {
    sink.add(node, `"steps" must be a list of steps, each starting with "- "`, 'steps')
    return undefined
  }
  const steps: FlowStep[] = []
  let ok = true
  for (const item of items(node, 'steps', sink)) {
    const step = readStep(item.node, item.path, ctx, node)
    if (step) steps.push(step)
    else ok = false
  }
  return ok && steps.length === node.items.length ? steps : undefined
}

interface Modifiers {
  label?: string
  timeout?: number
  detect?: boolean
}

function readStep(item: Node | null, path: string, ctx: ReadContext, list: Node): FlowStep | undefined {
  const { sink } = ctx
  if (isEmpty(item)) {
    sink.add(item?.range ? item : list, `Empty step: write an action after "- ", e.g. ${EXAMPLE_STEP}`, path)
    return undefined
  }
  if (isScalar(item)) {
    const word = scalarText(item)
    // `- mfa` alone is a complete step; other bare actions get their "needs a …" message.
    if (isAction(word)) return finish(word, readAction(word, null, item, path, ctx), {}, item, ctx)
    const [first = '', ...rest] = word.split(/\s+/)
    const action = isAction(first) ? first : didYouMean(first, FLOW_ACTIONS)
    const hint = action && rest.length ? ` — did you mean "${action}: ${rest.join(' ')}"?` : ''
    sink.add(item, `A step must look like "- action: value", e.g. ${EXAMPLE_STEP}${hint}`, path)
    return undefined
  }
  if (!isMap(item)) {
    sink.add(item, `A step must look like "- action: value", not a list`, path)
    return undefined
  }
  return readStepMap(item, path, ctx)
}

function readStepMap(item: YAMLMap, path: string, ctx: ReadContext): FlowStep | undefined {
  const { sink } = ctx
  const all = entries(item, path, sink)
  const actions = all.filter((e) => isAction(e.key))
  const others = all.filter((e) => !isAction(e.key) && !(STEP_MODIFIERS as readonly string[]).includes(e.key))
  let ok = true
  const first = actions[0]
  others.forEach((e, i) => {
    ok = false
    if (first) {
      const spec = ACTION_SPECS[first.key as FlowAction]
      if (hasField(spec, e.key)) {
        // The classic indentation slip: fields level with the action instead of under it.
        sink.add(e.keyNode, `"${e.key}" belongs inside "${first.key}": indent it under "${first.key}"`, e.path)
      } else {
        unknownKey(e, [...STEP_MODIFIERS, ...FLOW_ACTIONS], `a "${first.key}" step`, sink)
      }
    } else if (i === 0) {
      const guess = didYouMean(e.key, FLOW_ACTIONS)
      const hint = guess ? ` — did you mean "${guess}"?` : `; actions are: ${FLOW_ACTIONS.join(', ')}`
      sink.add(e.keyNode, `Unknown action "${e.key}"${hint}`, e.path)
    } else {
      unknownKey(e, STEP_MODIFIERS, 'this step', sink)
    }
  })
  if (!first) {
    if (others.length === 0) sink.add(item, `A step needs an action: ${FLOW_ACTIONS.join(', ')}`, path)
    return undefined
  }
  for (const extra of actions.slice(1)) {
    sink.add(
      extra.keyNode,
      `One action per step: found "${first.key}" and "${extra.key}" — start each with its own "- "`,
      extra.path,
    )
    ok = false
    readAction(extra.key as FlowAction, extra.value, extra.keyNode, path, ctx) // still report what is wrong inside it
  }
  const mods: Modifiers = {}
  for (const e of all) {
    if ((STEP_MODIFIERS as readonly string[]).includes(e.key) && !readModifier(e, mods, ctx)) ok = false
  }
  const action = first.key as FlowAction
  const read = readAction(action, first.value, first.keyNode, path, ctx, mods)
  return ok ? finish(action, read, mods, item, ctx) : undefined
}

function finish(
  action: FlowAction,
  fields: Record<string, unknown> | undefined,
  mods: Modifiers,
  at: Node,
  ctx: ReadContext,
): FlowStep | undefined {
  if (!fields) return undefined
  const step: Record<string, unknown> = { action, ...ACTION_SPECS[action].defaults, ...fields }
  if (mods.label !== undefined) step.label = mods.label
  if (mods.timeout !== undefined) step.timeout = mods.timeout
  if (mods.detect !== undefined) step.detect = mods.detect
  step.line = ctx.sink.lineOf(at)
  // Shape is guaranteed by ACTION_SPECS and checked against FlowStepSchema once the flow is read.
  return step as FlowStep
}

/** `name`/`label`/`timeout`/`detect`, beside the action or inside its map. */
function readModifier(e: Entry, mods: Modifiers, ctx: ReadContext): boolean {
  const { sink } = ctx
  if (e.key === 'detect') {
    if (mods.detect !== undefined) {
      sink.add(e.keyNode, `"detect" is given twice for this step`, e.path)
      return false
    }
    if (isEmpty(e.value)) {
      sink.add(e.keyNode, `"detect" needs true or false`, e.path)
      return false
    }
    mods.detect = readBoolean(e.value as Node, 'detect', e.path, sink)
    return mods.detect !== undefined
  }
  const isTimeout = e.key === 'timeout'
  if (isTimeout ? mods.timeout !== undefined : mods.label !== undefined) {
    sink.add(
      e.keyNode,
      isTimeout ? `"timeout" is given twice for this step` : `Give a step one "name" or "label", not both`,
      e.path,
    )
    return false
  }
  if (isEmpty(e.value)) {
    sink.add(e.keyNode, `"${e.key}" needs a value`, e.path)
    return false
  }
  const node = e.value as Node
  if (isTimeout) {
    mods.timeout = readDuration(node, 'timeout', e.path, sink)
    return mods.timeout !== undefined
  }
  const label = readField({ kind: 'text' }, node, e.key, e.path, ctx)
  if (typeof label !== 'string') return false
  mods.label = label
  return true
}

/** The action's own fields (normalised keys), or undefined after reporting. */
function readAction(
  action: FlowAction,
  value: Node | null,
  keyNode: Node,
  stepPath: string,
  ctx: ReadContext,
  mods: Modifiers = {},
): Record<string, unknown> | undefined {
  const { sink } = ctx
  const spec = ACTION_SPECS[action]
  const path = joinPath(stepPath, action)
  const fields: Record<string, unknown> = {}
  const given = new Map<string, Node>() // YAML keys with a value, valid or not
  const guessed = new Set<string>()
  let ok = true
  const take = (key: string, node: Node, at: string): void => {
    const field = hasField(spec, key) ? spec.fields[key] : undefined
    if (!field) return
    given.set(key, node)
    const v = readField(field, node, key, at, ctx)
    if (v === undefined) ok = false
    else fields[field.out ?? key] = v
  }

  if (isEmpty(value)) {
    // Nothing given: only the "needs" messages below apply.
  } else if (isScalar(value)) {
    if (!spec.shorthand) {
      sink.add(value, `"${action}" needs a map like ${spec.example}`, path)
      return undefined
    }
    take(spec.shorthand, value, path)
  } else if (isMap(value)) {
    for (const e of entries(value, path, sink)) {
      if (hasField(spec, e.key)) {
        if (!isEmpty(e.value)) take(e.key, e.value as Node, e.path)
      } else if (isModifierFor(spec, e.key)) {
        if (!readModifier(e, mods, ctx)) ok = false
      } else {
        const guess = unknownKey(
          e,
          [...Object.keys(spec.fields), ...STEP_MODIFIERS.filter((m) => isModifierFor(spec, m))],
          `"${action}"`,
          sink,
        )
        if (guess) guessed.add(guess) // "selectr" already says what is missing
        ok = false
      }
    }
  } else {
    const shape = spec.shorthand ? 'a value or a map' : 'a map'
    sink.add(value, `"${action}" takes ${shape} like ${spec.example}, not a list`, path)
    return undefined
  }

  for (const [key, field] of Object.entries(spec.fields)) {
    if (field.required && !given.has(key) && !guessed.has(key)) {
      sink.add(keyNode, `"${action}" needs ${field.needs ?? `a "${key}"`}`, joinPath(path, key))
      ok = false
    }
  }
  if (spec.anyOf && !spec.anyOf.some((k) => given.has(k) || guessed.has(k))) {
    const names = spec.anyOf.map((k) => `"${k}"`)
    sink.add(keyNode, `"${action}" needs ${names.slice(0, -1).join(', ')} or ${names.at(-1)}`, path)
    ok = false
  }
  const state = given.get('state')
  if (state && !given.has('selector')) {
    sink.add(state, `"state" only applies together with a "selector"`, joinPath(path, 'state'))
    ok = false
  }
  return ok ? fields : undefined
}

// `name` is a label everywhere except where the action has its own `name` (screenshot, extract).
function isModifierFor(spec: ActionSpec, key: string): boolean {
  return (STEP_MODIFIERS as readonly string[]).includes(key) && !hasField(spec, key)
}

// Own keys only: a step key such as "constructor" must not find Object.prototype.
function hasField(spec: ActionSpec, key: string): boolean {
  return Object.hasOwn(spec.fields, key)
}
