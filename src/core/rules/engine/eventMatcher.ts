import type { ObjectNode, PatternNode } from '../pattern/compilePattern.js'
import { matchNode } from '../pattern/evaluatePattern.js'
import { subjectReader } from '../../intake/subject.js'
import type { CloudTrailRecord, EventContext } from '../../intake/types.js'

type Read = (record: CloudTrailRecord, context: EventContext) => unknown

/** One top-level condition of a pattern: a field and what it must match. Its answer depends on the event alone. */
interface Conjunct {
  read: Read
  node: PatternNode
}

/**
 * A rule pattern prepared for the hot path. Top-level fields are read from the event in place (no subject
 * is built), and each top-level condition is shared between all the rules of a set that write it, so it
 * is answered at most once per event. Real rule sets repeat the same conditions (env: [prod],
 * errorCode: [{ exists: false }], mutating: [true], actor.console: [true]) across many rules; with 1,000
 * rules this turns thousands of tests per event into a few dozen (npm run bench, P1).
 */
export interface EventMatcher {
  /** Slots of the conditions that must all hold. */
  slots: number[]
  /** Each `$or` is a list of alternatives; one of them must match. */
  ors: EventMatcher[][]
}

/**
 * Top-level fields whose value is always a plain object made by normalisation (or the record itself): a
 * condition under them can be split into one condition per sub-field, so `actor.console: [true]` is shared
 * even by rules that also test `actor.mfa`. (Under a record field the value might be an array of objects,
 * where sibling fields must hold in the same element, so those stay whole.)
 */
const OBJECT_FIELDS: ReadonlySet<string> = new Set(['actor', 'ecs', 'detail'])

const own = (value: unknown, key: string): unknown =>
  value !== null && typeof value === 'object' && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined

/** The pattern as written, as a string: equal strings compile to the same predicate within one rule set. */
function canonical(node: PatternNode): string {
  if (node.kind === 'leaf') return JSON.stringify(node.source)
  const fields = node.fields.map((f) => `${JSON.stringify(f.key)}:${canonical(f.node)}`)
  const ors = node.ors.map((alts) => `$or:[${alts.map(canonical).join(',')}]`)
  return `{${[...fields, ...ors].join(',')}}`
}

/** The conditions of one rule set, each with a slot in the per-event memo. */
export class ConditionTable {
  readonly conjuncts: Conjunct[] = []
  private readonly slotsByKey = new Map<string, number>()

  private slot(key: string, read: Read, node: PatternNode): number {
    let slot = this.slotsByKey.get(key)
    if (slot === undefined) {
      slot = this.conjuncts.push({ read, node }) - 1
      this.slotsByKey.set(key, slot)
    }
    return slot
  }

  /** Prepare a pattern; `skip` names top-level fields the rule-set index has already decided (eventSource, eventName). */
  compile(node: ObjectNode, skip: ReadonlySet<string> = new Set()): EventMatcher {
    const slots: number[] = []
    for (const { key, node: child } of node.fields) {
      if (skip.has(key)) continue
      const read = subjectReader(key)
      if (OBJECT_FIELDS.has(key) && child.kind === 'object' && child.ors.length === 0) {
        for (const sub of child.fields)
          slots.push(this.slot(`${key}.${sub.key}\u0000${canonical(sub.node)}`, (r, c) => own(read(r, c), sub.key), sub.node))
      } else {
        slots.push(this.slot(`${key}\u0000${canonical(child)}`, read, child))
      }
    }
    return { slots, ors: node.ors.map((alts) => alts.map((alt) => this.compile(alt))) }
  }
}

/** 0: not yet asked; 1: no; 2: yes. One per event. */
export type ConditionMemo = Uint8Array

export function matchEvent(
  matcher: EventMatcher,
  conjuncts: readonly Conjunct[],
  record: CloudTrailRecord,
  context: EventContext,
  memo: ConditionMemo,
): boolean {
  for (const slot of matcher.slots) {
    let known = memo[slot]!
    if (known === 0) {
      const c = conjuncts[slot]!
      known = memo[slot] = matchNode(c.node, c.read(record, context)) ? 2 : 1
    }
    if (known !== 2) return false
  }
  for (const alternatives of matcher.ors) if (!alternatives.some((alt) => matchEvent(alt, conjuncts, record, context, memo))) return false
  return true
}
