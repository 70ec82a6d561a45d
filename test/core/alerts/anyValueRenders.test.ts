import { describe, expect, it } from 'vitest'
import { loadRules } from '../../../src/config/loadRules.js'
import type { Alert } from '../../../src/core/alerts/alert.js'
import { buildAlert } from '../../../src/core/alerts/buildAlert.js'
import { describeConditions } from '../../../src/core/alerts/describeConditions.js'
import { renderDigest } from '../../../src/core/alerts/renderDigest.js'
import { renderMinimal, renderReply, renderSlack } from '../../../src/core/alerts/renderSlack.js'
import { renderText } from '../../../src/core/alerts/renderText.js'
import { requestDetails } from '../../../src/core/alerts/requestDetails.js'
import { normalise } from '../../../src/core/intake/normalise.js'
import { compileNormaliseSettings } from '../../../src/core/intake/settings.js'
import type { CloudTrailRecord, NormalisedEvent } from '../../../src/core/intake/types.js'
import { fixtureText } from '../../support/fixtures.js'

/**
 * buildAlert, requestDetails, describeConditions and every renderer are total: real fixture events, each field the
 * renderers read set in turn to a value of the wrong type, an object whose toString/valueOf are not functions, a lone
 * surrogate, … — every one gives a full alert and a full rendering (not the "rendering failed" fallback), all text
 * well-formed. Before, String(x) and template literals threw TypeError on {"toString": 1} and encodeURIComponent
 * threw URIError on "\ud800", and the message lost every alert.
 */

const bundle = loadRules({ rulesDir: 'rules', configPath: 'trailwarden.example.yaml' })
const F = 'rules/ecs/fixtures/'

const FIXTURES: Array<[string, string]> = [
  ['BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json', 'ecs-console-change-in-prod'],
  ['BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json', 'ecs-exec-session'],
  ['BUILT__ecs__RegisterTaskDefinition__AssumedRole_sso_cli_privileged_hostMount_envSecret.json', 'ecs-added-capabilities'],
  ['BUILT__ecs__RunTask__AccessDenied_IAMUser_cli.json', 'ecs-access-denied'],
  ['ecs__CreateCluster__AssumedRole_console_mfaFalse__awsdocs.json', 'ecs-mutation-without-mfa'],
]

const HOSTILE: Array<[string, unknown]> = [
  ['{"toString": 1}', { toString: 1 }],
  ['{"toString": 1, "valueOf": 1}', { toString: 1, valueOf: 1 }],
  ['[{"toString": 1}]', [{ toString: 1 }]],
  ['a lone high surrogate', '\ud800'],
  ['a lone low surrogate inside text', 'prod\udc00web'],
  ['a surrogate pair cut by a bound', `${'x'.repeat(59)}😀${'y'.repeat(400)}`],
  ['null', null],
  ['a number', 12],
  ['a boolean', true],
  ['an empty list', []],
  ['an empty object', {}],
  ['nested lists and objects', [[1, { a: [2, { toString: 1 }] }], null]],
  ['"__proto__" as a value', '__proto__'],
]

/** Every record field the alert or a renderer reads (the normaliser's inputs included: they become the alert's). */
const PATHS = [
  'eventID', 'awsRegion', 'recipientAccountId', 'sourceIPAddress', 'userAgent', 'errorCode', 'errorMessage', 'readOnly',
  'sessionCredentialFromConsole', 'userIdentity', 'userIdentity.type', 'userIdentity.arn', 'userIdentity.userName',
  'userIdentity.principalId', 'userIdentity.accountId', 'userIdentity.invokedBy', 'userIdentity.sessionContext',
  'userIdentity.sessionContext.sessionIssuer.arn', 'userIdentity.sessionContext.sessionIssuer.userName',
  'userIdentity.sessionContext.attributes.mfaAuthenticated', 'userIdentity.sessionContext.sourceIdentity',
  'requestParameters', 'requestParameters.cluster', 'requestParameters.clusterName', 'requestParameters.service',
  'requestParameters.serviceName', 'requestParameters.taskDefinition', 'requestParameters.family', 'requestParameters.task',
  'requestParameters.container', 'requestParameters.command', 'requestParameters.interactive', 'requestParameters.desiredCount',
  'requestParameters.count', 'requestParameters.settings', 'requestParameters.overrides.taskRoleArn',
  'requestParameters.networkConfiguration.awsvpcConfiguration.assignPublicIp', 'requestParameters.containerDefinitions',
  'requestParameters.containerDefinitions.0', 'requestParameters.containerDefinitions.0.name',
  'requestParameters.containerDefinitions.0.image', 'requestParameters.containerDefinitions.0.command',
  'requestParameters.containerDefinitions.0.entryPoint', 'requestParameters.containerDefinitions.0.environment',
  'requestParameters.containerDefinitions.0.environment.0.name', 'requestParameters.containerDefinitions.0.linuxParameters.capabilities.add',
  'requestParameters.containerDefinitions.0.linuxParameters.capabilities.add.0', 'requestParameters.volumes.0.host.sourcePath',
  'responseElements', 'responseElements.containerName', 'responseElements.taskArn', 'responseElements.clusterArn',
  'responseElements.service.serviceName', 'responseElements.service.clusterArn', 'responseElements.taskDefinition.family',
  'responseElements.taskDefinition.revision', 'responseElements.cluster.clusterName',
]

function setPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.')
  let node: Record<string, unknown> = root
  for (const key of keys.slice(0, -1)) {
    const next = node[key]
    if (next === null || typeof next !== 'object') node[key] = /^\d+$/.test(key) ? [] : {}
    node = node[key] as Record<string, unknown>
  }
  node[keys[keys.length - 1]!] = value
}

const isWellFormed = (s: string) => (s as unknown as { isWellFormed(): boolean }).isWellFormed()
const stringsIn = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : v !== null && typeof v === 'object' ? Object.values(v).flatMap(stringsIn) : []

/** Every rendering of one alert; a failure names the renderer and what it threw or what was wrong. */
function renderAll(alert: Alert): string[] {
  const problems: string[] = []
  const renderings: Array<[string, () => unknown]> = [
    ['renderSlack', () => renderSlack(alert, { mention: 'S0SECURITY', notice: 'a notice', more: { count: 3, lastAt: alert.eventTime } })],
    ['renderReply', () => renderReply(alert)],
    ['renderMinimal', () => renderMinimal(alert, 'msg_too_long')],
    ['renderDigest', () => renderDigest([alert, alert], '2026-11-02T10:00:00Z', 20)],
    ['renderText', () => renderText(alert, ['#security'])],
  ]
  // Its start, as rendered: a lone surrogate becomes U+FFFD, a long id is cut.
  const ruleId = typeof alert.ruleId === 'string' ? (alert.ruleId as unknown as { toWellFormed(): string }).toWellFormed().slice(0, 40) : undefined
  for (const [name, render] of renderings) {
    let rendered: unknown
    try {
      rendered = render()
    } catch (err) {
      problems.push(`${name} threw ${String(err)}`)
      continue
    }
    {
      const texts = stringsIn(rendered)
      if (!texts.every(isWellFormed)) problems.push(`${name}: a lone surrogate reached the output`)
      // A reply shows the event, not the rule; a digest counts rules.
      if (ruleId && name !== 'renderReply' && name !== 'renderDigest' && !texts.some((t) => t.includes(ruleId))) problems.push(`${name}: the rule id is missing`)
      if (texts.some((t) => t.includes('could not render'))) problems.push(`${name}: rendered the failure fallback`)
    }
  }
  return problems
}

async function eventFor(record: unknown, environments?: Array<{ name: string, clusters?: string[] }>): Promise<NormalisedEvent> {
  const { settings } = await bundle
  return normalise({ record: record as CloudTrailRecord, shape: 'record' }, environments ? compileNormaliseSettings({ environments }) : settings)
}

describe('every field of real events, set to hostile values: a full alert, a full rendering', () => {
  it.each(FIXTURES.flatMap(([fixture, ruleId]) => HOSTILE.map(([label, value]) => [fixture, ruleId, label, value] as const)))(
    '%s (%s): each field set to %s',
    async (fixture, ruleId, _label, value) => {
      const { ruleSet, config } = await bundle
      const rule = ruleSet.rules.find((r) => r.id === ruleId)!
      const problems: string[] = []
      for (const path of PATHS) {
        const record = JSON.parse(fixtureText(`${F}${fixture}`)) as Record<string, unknown>
        setPath(record, path, structuredClone(value))
        const event = await eventFor(record)
        let alert: Alert
        try {
          alert = buildAlert({ rule, severity: rule.severity }, event, config.accounts)
          requestDetails(record as CloudTrailRecord)
        } catch (err) {
          problems.push(`${path}: buildAlert threw ${String(err)}`)
          continue
        }
        if (alert.incomplete) problems.push(`${path}: part of the alert was lost (${alert.incomplete})`)
        problems.push(...renderAll(alert).map((p) => `${path}: ${p}`))
      }
      expect(problems).toEqual([])
    },
  )

  it('an environment name of the wrong type (from settings) renders as text', async () => {
    const { ruleSet, config } = await bundle
    const rule = ruleSet.rules.find((r) => r.id === 'ecs-console-change-in-prod')!
    const record = JSON.parse(fixtureText(`${F}BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json`)) as unknown
    const event = await eventFor(record, [{ name: { toString: 1 } as unknown as string, clusters: ['prod-*'] }])
    const alert = buildAlert({ rule, severity: rule.severity }, event, config.accounts)
    expect(alert.env).toBe('{"toString":1}')
    expect(renderAll(alert)).toEqual([])
    expect(JSON.stringify(renderSlack(alert))).toContain('env `{\\"toString\\":1}`')
  })

  it('describeConditions takes any pattern', () => {
    for (const [, value] of HOSTILE) {
      expect(() => describeConditions(value)).not.toThrow()
      expect(() => describeConditions({ a: value, $or: [value, { b: [value] }], c: { d: value } })).not.toThrow()
    }
    expect(describeConditions({ a: [{ toString: 1 }], b: [null] })).toEqual(['a = {"toString":1}', 'b = null'])
  })
})

/** Every field of the Alert itself (a renderer's input from any caller), set in turn to each hostile value. */
const ALERT_PATHS = [
  'ruleId', 'title', 'severity', 'description', 'runbook', 'tags', 'eventKey', 'eventId', 'eventName', 'eventSource',
  'eventTime', 'actor', 'actor.type', 'actor.arn', 'actor.name', 'actor.role', 'actor.mfa', 'actor.via', 'sourceIp',
  'userAgent', 'account', 'accountAlias', 'region', 'env', 'ecs', 'ecs.cluster', 'ecs.service', 'ecs.taskDefinition',
  'ecs.container', 'errorCode', 'errorMessage', 'details', 'details.0', 'details.0.0', 'details.0.1', 'details.0.2',
  'conditions', 'conditions.0', 'links', 'links.cloudtrail', 'links.ecs', 'dedup', 'notify', 'incomplete',
]

describe('every field of an alert, set to hostile values: each renderer still renders it', () => {
  it.each(HOSTILE)('each field set to %s', async (_label, value) => {
    const { ruleSet, config } = await bundle
    const rule = ruleSet.rules.find((r) => r.id === 'ecs-plaintext-secret-in-env')!
    const event = await eventFor(JSON.parse(fixtureText(`${F}BUILT__ecs__RegisterTaskDefinition__AssumedRole_sso_cli_privileged_hostMount_envSecret.json`)))
    const problems: string[] = []
    for (const path of ALERT_PATHS) {
      const alert = buildAlert({ rule, severity: rule.severity }, event, config.accounts) as unknown as Record<string, unknown>
      setPath(alert, path, structuredClone(value))
      problems.push(...renderAll(alert as unknown as Alert).map((p) => `${path}: ${p}`))
    }
    expect(problems).toEqual([])
  })
})
