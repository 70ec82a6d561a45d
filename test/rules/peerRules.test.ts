import { describe, expect, it } from 'vitest'
import { readEvents } from '../../src/core/intake/readEvents.js'
import { compileRuleSet } from '../../src/core/rules/engine/compileRuleSet.js'
import { evaluate } from '../../src/core/rules/engine/evaluate.js'
import { fixtureText } from '../support/fixtures.js'

interface Case { rule: string, case_file: string, expected: boolean }
const manifest = JSON.parse(fixtureText('event-ruler/manifest.json')) as Case[]

/**
 * Other tools' rules, rewritten in trailwarden's language, must give the outcomes their own test suites expect
 * (cases and expectations copied with provenance into test/fixtures/event-ruler/manifest.json).
 */
const ruleSet = (text: string) => {
  const { ruleSet: set, problems } = compileRuleSet([{ file: `rules/${/id: (\S+)/.exec(text)![1]!}.yaml`, text }])
  expect(problems).toEqual([])
  return set!
}

const outcome = (set: ReturnType<typeof ruleSet>, file: string) => {
  const { events } = readEvents(fixtureText(`event-ruler/${file}`))
  return events.some((e) => evaluate(set, e, Date.now()).matched.length > 0)
}

// panther-labs/panther-analysis rules/aws_cloudtrail_rules/aws_root_activity: root, successful, not a service,
// not CreateServiceLinkedRole, not read-only.
const panther = ruleSet(`
id: aws-root-activity
title: Root activity
severity: high
description: panther AWS.Root.Activity, rewritten
match:
  actor.type: [Root]
  errorCode: [{ exists: false }]
  errorMessage: [{ exists: false }]
  userIdentity.invokedBy: [{ exists: false }]
  eventName: [{ anything-but: CreateServiceLinkedRole }]
  $or:
    - readOnly: [{ exists: false }]
    - readOnly: [false]
`)

// fivexl/terraform-aws-cloudtrail-to-slack src/rules.py default_rules (any rule firing means "processed").
const fivexl = ruleSet(`
id: fivexl-default-rules
title: fivexl defaults
severity: high
description: fivexl cloudtrail-to-slack default rules, rewritten as one pattern
match:
  $or:
    - eventName: [ConsoleLogin]
      $or:
        - additionalEventData.MFAUsed: [{ exists: false }]
        - additionalEventData.MFAUsed: [{ anything-but: "Yes" }]
      userIdentity.arn: [{ anything-but: { wildcard: "*assumed-role/AWSReservedSSO*" } }]
    - errorCode: [{ suffix: UnauthorizedOperation }]
    - errorCode: [{ prefix: AccessDenied }]
      userIdentity.accountId: [{ anything-but: ANONYMOUS_PRINCIPAL }]
    - userIdentity.type: [Root]
      eventName: [{ anything-but: { prefix: [Get, List, Describe, Head] } }]
    - eventSource: [cloudtrail.amazonaws.com]
      eventName: [StopLogging, UpdateTrail, DeleteTrail]
    - eventSource: [lambda.amazonaws.com]
      responseElements.functionName: [fivexl-cloudtrail-to-slack]
      eventName: [{ prefix: UpdateFunctionConfiguration }, { prefix: UpdateFunctionCode }]
`)

describe('peer rules rewritten in trailwarden give their own expected outcomes', () => {
  it.each(manifest.filter((c) => c.rule.startsWith('panther')).map((c) => [c.case_file, c.expected] as const))('panther %s → %s', (file, expected) => {
    expect(outcome(panther, file)).toBe(expected)
  })
  it.each(manifest.filter((c) => c.rule.startsWith('fivexl')).map((c) => [c.case_file, c.expected] as const))('fivexl %s → %s', (file, expected) => {
    expect(outcome(fivexl, file)).toBe(expected)
  })
})
