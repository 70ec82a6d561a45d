import { compileEventPattern } from '../pattern/matchesPattern.js'
import { explainNode } from '../pattern/evaluatePattern.js'
import type { BusPattern } from './busPattern.js'
import type { RuleSet } from '../engine/ruleSet.js'
import { firstPart } from '../../split.js'

export interface Drift {
  /** What the rules need that the deployed bus rule filters out, one line each. */
  problems: string[]
}

/** A made-up event name: whether the bus rule lets through calls no rule names (rules without an eventName list). */
const ANY_OTHER_CALL = 'AnyOtherEcsCall'

/**
 * Compare the deployed EventBridge rule's pattern with what the rule set needs. Every (source, detail-type,
 * eventSource, eventName) combination a rule can match is tried against the deployed pattern as a minimal event;
 * each one it filters out is reported with the field that filtered it (extra filters such as detail.readOnly show up
 * that way too). Pure.
 */
export function patternDrift(ruleSet: RuleSet, needed: BusPattern, deployedPattern: string | undefined): Drift {
  if (!deployedPattern) return { problems: ['the bus rule has no event pattern (a scheduled rule?): point trailwarden at the rule that feeds its queue'] }
  let deployed
  try {
    deployed = compileEventPattern(JSON.parse(deployedPattern) as unknown)
  } catch (err) {
    return { problems: [`the bus rule's pattern cannot be read: ${(err as Error).message}`] }
  }
  const problems: string[] = []
  const sources = needed.pattern.source
  const detailTypes = needed.pattern['detail-type']
  // Each rule's literal event names (or the made-up one for rules that name none), with its eventSources.
  const wants = new Map<string, { eventSource: string, eventName: string, rules: string[] }>()
  for (const rule of ruleSet.rules) {
    const eventSources = rule.eventSources ?? ['ecs.amazonaws.com']
    for (const eventSource of eventSources) {
      for (const eventName of rule.eventNames ?? [ANY_OTHER_CALL]) {
        const k = `${eventSource} ${eventName}`
        const w = wants.get(k) ?? { eventSource, eventName, rules: [] }
        w.rules.push(rule.id)
        wants.set(k, w)
      }
    }
  }
  for (const source of sources) {
    for (const detailType of detailTypes) {
      for (const w of wants.values()) {
        if (!source.endsWith(firstPart(w.eventSource, '.'))) continue
        const event = { source, 'detail-type': detailType, 'detail': { eventSource: w.eventSource, eventName: w.eventName } }
        const mismatch = explainNode(deployed, event)
        if (!mismatch) continue
        const what = w.eventName === ANY_OTHER_CALL ? `every ${w.eventSource} call` : `${w.eventName} (${w.eventSource})`
        problems.push(`${what} is needed by ${w.rules.join(', ')} but the bus rule filters it out at ${mismatch.field} (it allows ${JSON.stringify(mismatch.expected)})`)
      }
    }
  }
  return { problems }
}

/** A line diff of two pretty-printed JSON values, for --apply's before/after. */
export function jsonDiff(before: unknown, after: unknown): string {
  const a = JSON.stringify(before, null, 2).split('\n')
  const b = JSON.stringify(after, null, 2).split('\n')
  const setA = new Set(a)
  const setB = new Set(b)
  return [...a.filter((l) => !setB.has(l)).map((l) => `- ${l}`), ...b.filter((l) => !setA.has(l)).map((l) => `+ ${l}`)].join('\n')
}
