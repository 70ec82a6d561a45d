import type { RuleSet } from '../engine/ruleSet.js'
import { firstPart } from '../../split.js'

export interface BusPattern {
  /** The EventBridge event pattern for the bus rule that feeds trailwarden's queue. */
  pattern: {
    'source': string[]
    'detail-type': string[]
    'detail'?: { eventSource?: string[], eventName?: string[] }
  }
  /** Rules that name no literal eventName list: while there are any, every event name must pass. */
  unconstrained: string[]
  /** Rules using trailwarden extensions (their match cannot be pasted into an EventBridge rule as it is). */
  extensions: Record<string, string[]>
}

const sourceOf = (eventSource: string) => `aws.${firstPart(eventSource, '.')}`

/**
 * The EventBridge pattern that lets through exactly what the rule set can match: the sources and, when
 * every rule names them, the event names. Read-only calls are not filtered out here: a rule may want them.
 */
export function busPattern(ruleSet: RuleSet): BusPattern {
  const rules = ruleSet.rules
  const everySource = rules.length > 0 && rules.every((r) => r.eventSources)
  const everyName = rules.length > 0 && rules.every((r) => r.eventNames)
  const eventSources = [...new Set(rules.flatMap((r) => r.eventSources ?? []))].sort()
  const eventNames = [...new Set(rules.flatMap((r) => r.eventNames ?? []))].sort()
  const pattern: BusPattern['pattern'] = {
    'source': everySource ? [...new Set(eventSources.map(sourceOf))].sort() : ['aws.ecs'],
    'detail-type': ['AWS API Call via CloudTrail'],
  }
  if (everySource || everyName) {
    pattern.detail = {}
    if (everySource) pattern.detail.eventSource = eventSources
    if (everyName) pattern.detail.eventName = eventNames
  }
  return {
    pattern,
    unconstrained: rules.filter((r) => !r.eventNames).map((r) => r.id),
    extensions: Object.fromEntries(rules.filter((r) => r.extensions.length > 0).map((r) => [r.id, r.extensions])),
  }
}
