import { describe, expect, it } from 'vitest'
import { systemAlert } from '../../../src/core/alerts/systemAlert.js'
import { ruleTargets } from '../../../src/core/alerts/ruleTargets.js'
import type { Route } from '../../../src/core/alerts/routeAlert.js'
import { compileRuleSet } from '../../../src/core/rules/engine/compileRuleSet.js'

const routes: Route[] = [
  { match: { minSeverity: 'critical' }, channel: '#security', mention: '@security-oncall', continue: true },
  { match: { env: ['prod'] }, channel: '#prod-changes', continue: false },
]
const rule = (extra: string) => {
  const { ruleSet } = compileRuleSet([{ file: 'rules/r.yaml', text: `id: r\ntitle: r\ndescription: d\n${extra}` }])
  return ruleSet!.rules[0]!
}
const notice = systemAlert({ ruleId: 'trailwarden-exception-expiring', title: 't', severity: 'info', description: 'd', eventName: 'ExceptionExpiring', at: 0 })

describe('ruleTargets: a notice about a rule goes where the rule\'s alerts go, without a mention', () => {
  it.each([
    ['a prod rule: the env route', 'severity: high\nmatch: { env: [prod] }', [{ channel: '#prod-changes' }]],
    ['a critical prod rule: both routes, no mention', 'severity: critical\nmatch: { env: [prod] }', [{ channel: '#security' }, { channel: '#prod-changes' }]],
    ['no env named: the default channel', 'severity: high\nmatch: { eventName: [RunTask] }', [{ channel: '#alerts' }]],
    ['notify.channel overrides the routes', 'severity: high\nnotify: { channel: "#team", mention: "@team" }\nmatch: { env: [prod] }', [{ channel: '#team' }]],
  ])('%s', (_name, extra, expected) => {
    expect(ruleTargets(notice, rule(extra), routes, '#alerts')).toEqual(expected)
  })
})
