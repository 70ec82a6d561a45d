import { DescribeRuleCommand, type DescribeRuleCommandOutput, type EventBridgeClient } from '@aws-sdk/client-eventbridge'
import { type BusPattern, busPattern } from '../core/rules/bus/busPattern.js'
import { type Drift, patternDrift } from '../core/rules/bus/patternDrift.js'
import type { RuleSet } from '../core/rules/engine/ruleSet.js'

export interface BusRuleCheck {
  deployed: DescribeRuleCommandOutput
  needed: BusPattern
  drift: Drift
}

/** Read the deployed EventBridge rule (DescribeRule) and compare its pattern with what the rule set needs. */
export async function checkBusRule(client: EventBridgeClient, where: { bus: string, rule: string }, ruleSet: RuleSet): Promise<BusRuleCheck> {
  const deployed = await client.send(new DescribeRuleCommand({ Name: where.rule, EventBusName: where.bus }))
  const needed = busPattern(ruleSet)
  return { deployed, needed, drift: patternDrift(ruleSet, needed, deployed.EventPattern) }
}
