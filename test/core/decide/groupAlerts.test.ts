import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadRules } from '../../../src/config/loadRules.js'
import type { Alert } from '../../../src/core/alerts/alert.js'
import { findingsOf } from '../../../src/core/alerts/findings.js'
import { decide, type DecisionSet, type RoutedAlert } from '../../../src/core/decide/decide.js'
import { groupAlerts } from '../../../src/core/decide/groupAlerts.js'
import { readEvents } from '../../../src/core/intake/readEvents.js'
import { SEVERITIES } from '../../../src/core/rules/language/ruleSchema.js'
import { fixtureText } from '../../support/fixtures.js'

// The bundled rules and the example config (#security for critical with @security-oncall, #prod-changes for prod).
const bundle = loadRules({ rulesDir: 'rules', configPath: 'trailwarden.example.yaml' })
const NOW = Date.parse('2026-11-22T12:00:00Z')

async function decided(path: string) {
  const b = await bundle
  const set: DecisionSet = { ruleSet: b.ruleSet, routes: b.config.slack.routes, defaultChannel: '#alerts', accounts: b.config.accounts }
  const { events } = readEvents(fixtureText(path), b.settings)
  return decide(events, set, { now: NOW })
}

const rank = (a: { severity: Alert['severity'] }) => SEVERITIES.indexOf(a.severity)
const R = (name: string) => `rules/ecs/fixtures/${name}`
// The corpus of real CloudTrail records (copied from /work/shared/corpus/events with their provenance).
const corpus = 'corpus'

describe('groupAlerts: one message per API call per channel', () => {
  it.each<[string, string, Array<[channel: string, ruleIds: string[]]>]>([
    ['RegisterTaskDefinition with eight findings: one message in #alerts',
      R('BUILT__ecs__RegisterTaskDefinition__AssumedRole_sso_cli_privileged_hostMount_envSecret.json'),
      [['#alerts', ['ecs-added-capabilities', 'ecs-admin-task-role', 'ecs-credential-endpoint-in-command', 'ecs-host-namespace', 'ecs-plaintext-secret-in-env', 'ecs-privileged-container', 'ecs-sensitive-host-mount', 'ecs-untrusted-image-registry']]]],
    ['the cryptomining task definition: one message, most severe first',
      R('BUILT__ecs__RegisterTaskDefinition__IAMUser_cryptomining_dockerHub_cpu16384.json'),
      [['#alerts', ['ecs-cryptomining-task-definition', 'ecs-mutation-without-mfa', 'ecs-untrusted-image-registry']]]],
    ['DeleteCluster by root: the critical finding goes to #security, the other to #alerts, each its own message',
      R('BUILT__ecs__DeleteCluster__Root_console_mfaTrue.json'),
      [['#alerts', ['ecs-cluster-deleted']], ['#security', ['ecs-root-activity']]]],
    ['a prod deletion without MFA: both findings in #prod-changes, one message',
      R('BUILT__ecs__DeleteService__IAMUser_cli_longTermKey_prod.json'),
      [['#prod-changes', ['ecs-service-deleted-in-prod', 'ecs-mutation-without-mfa']]]],
    ['RunTask with exec and a public IP in prod: three findings, one message',
      R('BUILT__ecs__RunTask__AssumedRole_sso_cli_execEnabled_publicIp_prod.json'),
      [['#prod-changes', ['ecs-exec-enabled', 'ecs-public-ip-in-prod', 'ecs-task-run-by-human-in-prod']]]],
    ['one finding: the alert as it was, no `also`', R('BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json'), [['#prod-changes', ['ecs-console-change-in-prod']]]],
    ['a real GovCloud PutAccountSettingDefault (corpus): two findings, one message', `${corpus}/ecs__PutAccountSettingDefault__IAMUser_cli_govcloud__awsdocs.json`,
      [['#alerts', ['ecs-mutation-without-mfa', 'ecs-account-setting-changed']]]],
    ['a read-only call (corpus): nothing', `${corpus}/ecs__DescribeClusters__AssumedRole_readOnly__logicmonitor.json`, []],
  ])('%s', async (_name, path, expected) => {
    const decision = await decided(path)
    const groups = groupAlerts(decision.alerts)
    expect(groups.map((g) => [g.target.channel, g.ruleIds])).toEqual(expected)
    for (const g of groups) {
      const findings = findingsOf(g.alert)
      expect(findings.map((f) => f.ruleId)).toEqual(g.ruleIds)
      // The most severe leads, then non-increasing severity.
      for (let i = 1; i < findings.length; i++) expect(rank(findings[i - 1]!)).toBeGreaterThanOrEqual(rank(findings[i]!))
      expect(g.alert.also === undefined).toBe(findings.length === 1)
      // Each finding keeps its own rule's words: the same title, conditions and runbook its own alert had.
      for (const f of findings) {
        const own = decision.alerts.find((a) => a.alert.ruleId === f.ruleId)?.alert
        expect(own).toBeDefined()
        const words = (x: { title?: string, conditions?: string[], runbook?: string | undefined, severity?: string } | undefined) =>
          ({ title: x?.title, conditions: x?.conditions, runbook: x?.runbook, severity: x?.severity })
        expect(words(f)).toEqual(words(own))
      }
    }
    // Every routed (alert, channel) is in exactly one group: nothing lost, nothing doubled.
    const routedPairs = decision.alerts.flatMap((a) => a.targets.map((t) => `${a.alert.ruleId}@${t.channel}`)).sort()
    expect(groups.flatMap((g) => g.ruleIds.map((id) => `${id}@${g.target.channel}`)).sort()).toEqual(routedPairs)
  })

  it('every fixture and corpus event: each routed (rule, channel) once, one group per (event, channel)', async () => {
    const paths = [
      ...readdirSync('rules/ecs/fixtures').filter((f) => f.endsWith('.json')).map(R),
      ...readdirSync('test/fixtures/corpus').filter((f) => f.endsWith('.json')).map((f) => `${corpus}/${f}`),
    ]
    for (const path of paths) {
      const decision = await decided(path)
      const groups = groupAlerts(decision.alerts)
      const keys = groups.map((g) => `${g.event.context.eventKey}|${g.target.channel}`)
      expect(new Set(keys).size, path).toBe(keys.length)
      expect(groups.reduce((n, g) => n + g.ruleIds.length, 0), path).toBe(decision.alerts.reduce((n, a) => n + a.targets.length, 0))
    }
  })

  it('mentions of the grouped findings are merged, most severe first, each once', async () => {
    const [a, b] = (await decided(R('BUILT__ecs__DeleteService__IAMUser_cli_longTermKey_prod.json'))).alerts
    if (!a || !b) throw new Error('two alerts expected')
    const routed: RoutedAlert[] = [
      { ...a, targets: [{ channel: '#x', mention: '@platform-oncall' }] },
      { ...b, targets: [{ channel: '#x', mention: '@platform-oncall U0ALICE01' }] },
    ]
    expect(groupAlerts(routed).map((g) => g.target)).toEqual([{ channel: '#x', mention: '@platform-oncall U0ALICE01' }])
  })

  it('a degraded leader: the event facts come from a finding built in full, the leader keeps its own words', async () => {
    const [b, a] = (await decided(R('BUILT__ecs__DeleteService__IAMUser_cli_longTermKey_prod.json'))).alerts
    if (!a || !b) throw new Error('two alerts expected')
    expect(SEVERITIES.indexOf(a.alert.severity)).toBeGreaterThan(SEVERITIES.indexOf(b.alert.severity))
    const degradedLeader: RoutedAlert = { ...a, alert: { ...a.alert, recordDigest: 'unavailable', details: [], description: 'could not show' }, degraded: 'building the alert failed: TypeError' }
    const [g] = groupAlerts([degradedLeader, b])
    expect(g?.alert.ruleId).toBe(a.alert.ruleId)
    expect(g?.alert.description).toBe('could not show')
    expect(g?.alert.recordDigest).toBe(b.alert.recordDigest)
    expect(g?.alert.details).toEqual(b.alert.details)
    expect(g?.degraded).toEqual(['building the alert failed: TypeError'])
  })
})
