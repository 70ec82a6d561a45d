import { afterAll, describe, expect, it } from 'vitest'
import { readEvents } from '../../../../src/core/intake/readEvents.js'
import { compileNormaliseSettings } from '../../../../src/core/intake/settings.js'
import { compileRuleSet } from '../../../../src/core/rules/engine/compileRuleSet.js'
import { evaluate, explain } from '../../../../src/core/rules/engine/evaluate.js'
import { formatProblem } from '../../../../src/core/rules/language/yamlSource.js'
import { readdirSync } from 'node:fs'
import { fixtureText, repoRoot } from '../../../support/fixtures.js'

const settings = compileNormaliseSettings({ environments: [{ name: 'prod', accounts: ['111122223333'], clusters: ['prod-*'] }] })
const event = (file: string) => readEvents(fixtureText(`rules/ecs/fixtures/${file}`), settings).events[0]!
const NOW = Date.parse('2026-11-22T12:00:00Z')

/** Rules as inline YAML, alertmanager-style: the table reads like the files users write. */
const ruleSet = (...yamls: string[]) => {
  const { ruleSet: set, problems } = compileRuleSet(
    yamls.map((text) => ({ file: `rules/${/id: (\S+)/.exec(text)![1]!}.yaml`, text })),
    { lists: { pipeline_roles: ['deploy-pipeline'], break_glass: ['BreakGlass'] } },
  )
  expect(problems).toEqual([])
  return set!
}

const rule = (id: string, match: string, extra = '') => `
id: ${id}
title: ${id}
severity: high
description: test rule
match: ${match}
${extra}`

describe('evaluate: matched, suppressed, not matched', () => {
  it.each([
    ['console change in prod', rule('r', '{ actor.console: [true], env: [prod] }'), 'BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json', 'matched'],
    ['CLI change in prod', rule('r', '{ actor.console: [true], env: [prod] }'), 'BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json', 'none'],
    ['a pipeline role suppressed by exception', rule('r', '{ eventName: [CreateService] }', 'unless:\n  - reason: the pipeline deploys\n    match: { actor.role: [{ list: pipeline_roles }] }'), 'BUILT__ecs__CreateService__AssumedRole_pipeline_terraform_staging.json', 'suppressed'],
    ['an expired exception no longer applies', rule('r', '{ eventName: [CreateService] }', 'unless:\n  - reason: old\n    expires: 2026-11-01\n    match: { actor.role: [deploy-pipeline] }'), 'BUILT__ecs__CreateService__AssumedRole_pipeline_terraform_staging.json', 'matched'],
    ['an exception applies through its last day', rule('r', '{ eventName: [CreateService] }', 'unless:\n  - reason: ends today\n    expires: 2026-11-22\n    match: { actor.role: [deploy-pipeline] }'), 'BUILT__ecs__CreateService__AssumedRole_pipeline_terraform_staging.json', 'suppressed'],
    ['service calls are skipped by default', rule('r', '{ eventName: [UpdateService] }'), 'BUILT__ecs__UpdateService__AssumedRole_AWSServiceRoleForApplicationAutoScaling_service.json', 'none'],
    ['unless the rule names actor.service', rule('r', '{ eventName: [UpdateService], actor.service: [true] }'), 'BUILT__ecs__UpdateService__AssumedRole_AWSServiceRoleForApplicationAutoScaling_service.json', 'matched'],
    ['a pasted EventBridge pattern works', rule('r', '{ source: [aws.ecs], detail-type: [AWS API Call via CloudTrail], detail: { eventName: [DeleteCluster] } }'), 'BUILT__ecs__DeleteCluster__Root_console_mfaTrue.json', 'matched'],
    ['privileged container, any element', rule('r', '{ requestParameters: { containerDefinitions: { privileged: [true] } } }'), 'BUILT__ecs__RegisterTaskDefinition__AssumedRole_sso_cli_privileged_hostMount_envSecret.json', 'matched'],
  ])('%s', (_name, yaml, file, expected) => {
    const result = evaluate(ruleSet(yaml), event(file), NOW)
    const got = result.matched.length ? 'matched' : result.suppressed.length ? 'suppressed' : 'none'
    expect(got).toBe(expected)
  })

  it('only evaluates rules whose eventSource/eventName lists admit the call', () => {
    const set = ruleSet(rule('a', '{ eventSource: [ecs.amazonaws.com], eventName: [RunTask] }'), rule('b', '{ eventName: [UpdateService, CreateService] }'), rule('c', '{ mutating: [true] }'))
    expect(set.candidatesFor('ecs.amazonaws.com', 'UpdateService').map((r) => r.id)).toEqual(['b', 'c'])
    expect(set.candidatesFor('ecs.amazonaws.com', 'RunTask').map((r) => r.id)).toEqual(['a', 'c'])
    expect(set.candidatesFor('s3.amazonaws.com', 'RunTask').map((r) => r.id)).toEqual(['c'])
  })

  it('never throws, whatever the event', () => {
    const set = ruleSet(rule('a', '{ requestParameters: { containerDefinitions: { image: [{ prefix: docker.io }] } }, actor.mfa: [false] }'))
    for (const body of ['{"eventSource":"e","eventName":"n","eventTime":"t","requestParameters":{"containerDefinitions":"x"}}', '{"eventSource":"e","eventName":"n","eventTime":"t","requestParameters":[1,[2,{"containerDefinitions":[[{"image":null}]]}]]}'])
      expect(() => evaluate(set, readEvents(body).events[0]!, NOW)).not.toThrow()
  })
})

describe('explain: per rule, why', () => {
  it('says which field failed, which exception suppressed, and notes expired exceptions', () => {
    const set = ruleSet(
      rule('exec', '{ eventName: [ExecuteCommand] }'),
      rule('console', '{ actor.console: [true] }', 'unless:\n  - reason: break glass\n    match: { actor.role: [{ list: break_glass }] }\n  - reason: temporary\n    expires: 2026-01-31\n    match: { actor.name: [alice@example.com] }'),
    )
    const verdicts = explain(set, event('BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json'), NOW)
    expect(verdicts.map((v) => [v.rule.id, v.outcome])).toEqual([
      ['console', 'matched'],
      ['exec', 'not-matched'],
    ])
    expect(verdicts[1]).toMatchObject({ mismatch: { field: 'eventName', expected: ['ExecuteCommand'], actual: 'UpdateService' } })
    expect(verdicts[0]).toMatchObject({ expiredExceptions: [{ reason: 'temporary' }] })
    const only = explain(set, event('BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json'), NOW, 'exec')
    expect(only.map((v) => v.outcome)).toEqual(['matched'])
  })
})

describe('exception expiry warnings', () => {
  const text = rule('r', '{ eventName: [RunTask] }', 'unless:\n  - reason: migration\n    expires: 2026-11-30\n    match: { actor.name: [bob] }')
  it.each([
    ['2026-11-10T00:00:00Z', []],
    // Never "let it lapse" as if harmless: on that day the events it suppresses alert again (issue 18).
    ['2026-11-22T00:00:00Z', ['rules/r.yaml:9:14 r: warning: exception "migration" expires on 2026-11-30 (in 9 days): from the next day the events it suppresses alert — extend expires if it is still needed; otherwise remove it with the tests that expect it to suppress, before it expires']],
    ['2026-12-02T00:00:00Z', ['rules/r.yaml:9:14 r: warning: exception "migration" expired on 2026-11-30: the events it suppressed alert again, and its suppressed tests are reported lapsed — extend expires if it is still needed; otherwise remove it with the tests that expect it to suppress']],
  ])('on %s', (when, expected) => {
    const { ruleSet: set, problems } = compileRuleSet([{ file: 'rules/r.yaml', text }], { now: Date.parse(when) })
    expect(set).toBeDefined()
    expect(problems.map(formatProblem)).toEqual(expected)
  })
})

describe('escalate: severity by context', () => {
  it('takes the first matching escalation, else the rule severity', () => {
    const set = ruleSet(rule('r', '{ eventName: [ExecuteCommand, UpdateService] }', 'escalate:\n  - severity: critical\n    match: { actor.console: [true] }\n  - severity: low\n    match: { env: [prod] }').replace('severity: high', 'severity: medium'))
    const sev = (file: string) => evaluate(set, event(file), NOW).matched.map((m) => m.severity)
    expect(sev('BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json')).toEqual(['critical'])
    expect(sev('BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json')).toEqual(['low'])
  })
})

describe('shared conditions: evaluate decides as the plain pattern does', () => {
  // evaluate answers each top-level condition once per event and shares it between rules (eventMatcher.ts);
  // explain matches each rule's whole pattern against the built subject. They must never disagree.
  const tricky = ruleSet(
    rule('split', '{ actor.console: [true], actor.mfa: [false] }'),
    rule('same-condition', '{ actor.console: [true], eventName: [UpdateService, ExecuteCommand] }'),
    rule('nested-actor', '{ actor: { type: [AssumedRole], $or: [{ mfa: [true] }, { console: [true] }] } }'),
    rule('element', '{ requestParameters: { containerDefinitions: { privileged: [true], name: [{ exists: true }] } } }'),
    rule('element-split', '{ requestParameters: { containerDefinitions: { privileged: [true] } }, actor.type: [AssumedRole] }'),
    rule('pasted', '{ source: [aws.ecs], detail: { eventName: [DeleteCluster, UpdateService], userIdentity: { type: [Root] } } }'),
    rule('top-or', '{ $or: [{ env: [prod] }, { errorCode: [{ exists: true }] }], mutating: [true] }', 'unless:\n  - reason: pipeline\n    match: { actor.role: [{ list: pipeline_roles }] }\nescalate:\n  - severity: critical\n    match: { actor.console: [true] }'),
    rule('prefix-source', '{ eventSource: [{ prefix: ecs. }], eventName: [{ anything-but: [ListClusters] }], actor.service: [true, false] }'),
  )
  const files = readdirSync(`${repoRoot}rules/ecs/fixtures`).filter((f) => f.endsWith('.json'))
  it.each(files)('%s', (file) => {
    const e = event(file)
    const fast = evaluate(tricky, e, NOW)
    const plain = explain(tricky, e, NOW)
    expect(fast.matched.map((m) => [m.rule.id, m.severity])).toEqual(plain.flatMap((v) => (v.outcome === 'matched' ? [[v.rule.id, v.severity]] : [])))
    expect(fast.suppressed.map((s) => s.rule.id)).toEqual(plain.filter((v) => v.outcome === 'suppressed').map((v) => v.rule.id))
    seen.push(...plain.filter((v) => v.outcome !== 'not-matched').map((v) => v.rule.id))
  })
  const seen: string[] = []
  afterAll(() => {
    // The table means something only if every rule fires on some fixture.
    expect(new Set(seen)).toEqual(new Set(tricky.rules.map((r) => r.id)))
  })
})
