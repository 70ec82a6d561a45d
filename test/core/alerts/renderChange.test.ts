import { describe, expect, it } from 'vitest'
import type { Alert } from '../../../src/core/alerts/alert.js'
import { buildAlert } from '../../../src/core/alerts/buildAlert.js'
import { renderDigest } from '../../../src/core/alerts/renderDigest.js'
import { renderSlack } from '../../../src/core/alerts/renderSlack.js'
import { renderText } from '../../../src/core/alerts/renderText.js'
import { createChangeTracker } from '../../../src/core/change/createChangeTracker.js'
import { readEvents } from '../../../src/core/intake/readEvents.js'
import type { NormalisedEvent } from '../../../src/core/intake/types.js'
import { loadRules } from '../../../src/config/loadRules.js'
import { fixtureText } from '../../support/fixtures.js'

const F = 'rules/ecs/fixtures/'
const bundle = loadRules({ rulesDir: 'rules', configPath: 'trailwarden.example.yaml' })

const read = (name: string, set?: (r: Record<string, unknown>) => void): NormalisedEvent => {
  const record = JSON.parse(fixtureText(`${F}${name}.json`)) as Record<string, unknown>
  set?.(record)
  return readEvents(JSON.stringify(record)).events[0]!
}

/** The alert of `ruleId` for the last event, the change derived from the earlier ones (as the daemon's snapshots do). */
async function alertAfter(ruleId: string, names: string[], set?: (r: Record<string, unknown>) => void): Promise<Alert> {
  const { ruleSet } = await bundle
  const tracker = createChangeTracker()
  const events = names.map((n, i) => read(n, i === names.length - 1 ? set : undefined))
  for (const e of events) tracker.apply(e)
  const last = events[events.length - 1]!
  const rule = ruleSet.rules.find((r) => r.id === ruleId)!
  return buildAlert({ rule, severity: rule.severity }, last)
}

const slackText = (alert: Alert) => JSON.stringify(renderSlack(alert).blocks)
const TD_43 = 'BUILT__ecs__RegisterTaskDefinition__AssumedRole_pipeline_web43_image1.41'

describe('the "Changed" section', () => {
  it('desiredCount 3 → 0 in Slack, text and digest', async () => {
    const alert = await alertAfter('ecs-service-scaled-to-zero-in-prod', ['BUILT__ecs__UpdateService__AssumedRole_sso_console_prod', 'BUILT__ecs__UpdateService__AssumedRole_sso_console_scaleToZero_prod'])
    expect(alert.changes).toEqual(['desiredCount 3 → 0'])
    expect(slackText(alert)).toContain('*Changed*\\n• `desiredCount 3 → 0`')
    expect(renderText(alert, ['#ops'])).toContain('  changed  desiredCount 3 → 0')
    expect(JSON.stringify(renderDigest([alert], '2026-11-02T10:00:00Z', 20).blocks)).toContain('changed `desiredCount 3 → 0`')
  })

  it('an image change and an added env var by name, never its value', async () => {
    const alert = await alertAfter('ecs-untrusted-image-registry', [TD_43, 'BUILT__ecs__RegisterTaskDefinition__AssumedRole_pipeline_web44_image1.42_envFEATURE_X'], (r) => {
      // Give the rule a reason to fire on the new revision: a second account's ECR.
      const c = (r.requestParameters as { containerDefinitions: Array<Record<string, unknown>> }).containerDefinitions[0]!
      c.image = '999988887777.dkr.ecr.eu-west-1.amazonaws.com/web:1.42.0'
    })
    expect(alert.changes).toEqual(expect.arrayContaining([
      'image 111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1.41.0 → 999988887777.dkr.ecr.eu-west-1.amazonaws.com/web:1.42.0',
      '+ env FEATURE_X',
    ]))
    const rendered = slackText(alert) + renderText(alert, [])
    expect(rendered).toContain('+ env FEATURE_X')
    expect(rendered).not.toContain('fx-value-never-shown')
  })

  it('previous value unknown is said, not guessed', async () => {
    const alert = await alertAfter('ecs-service-scaled-to-zero-in-prod', ['BUILT__ecs__UpdateService__AssumedRole_sso_console_scaleToZero_prod'])
    expect(alert.changes).toEqual(['desiredCount ? → 0 (previous value unknown)'])
  })

  it('event text in a change is inert, redacted and bounded: mentions, links, a token in an image tag, 1 MB', async () => {
    const token = ['xoxb', '1234567890', '1234567890123', 'AbCdEfGhIjKlMnOpQrStUvWx'].join('-')
    const alert = await alertAfter('ecs-untrusted-image-registry', [TD_43, 'BUILT__ecs__RegisterTaskDefinition__AssumedRole_pipeline_web44_dockerHubImage'], (r) => {
      const c = (r.requestParameters as { containerDefinitions: Array<Record<string, unknown>> }).containerDefinitions[0]!
      c.image = `docker.io/<!channel>/<https://evil.example|click>:${token}`
      c.environment = [{ name: `X${'A'.repeat(1_000_000)}`, value: 'v' }, { name: '<@U012345678>', value: 'v' }]
    })
    const blocks = slackText(alert)
    expect(blocks).not.toContain('<!channel>')
    expect(blocks).not.toContain('<@U012345678>')
    expect(blocks).not.toContain('<https://evil')
    expect(blocks).not.toContain(token)
    expect(renderText(alert, [])).not.toContain(token)
    expect(Math.max(...(alert.changes ?? []).map((l) => l.length))).toBeLessThanOrEqual(300)
    for (const block of renderSlack(alert).blocks) expect(JSON.stringify(block).length).toBeLessThan(3_500)
  })

  it('a revision whose predecessor is unknown: one line says so, then the images', async () => {
    const alert = await alertAfter('ecs-privileged-container', ['BUILT__ecs__RegisterTaskDefinition__AssumedRole_sso_cli_privileged_hostMount_envSecret'])
    expect(alert.changes).toEqual([
      'previous value unknown (revision 2): compared with nothing',
      'toolbox: image docker.io/library/alpine:3.20',
      'sidecar: image 111122223333.dkr.ecr.eu-west-1.amazonaws.com/log-router:2.1',
    ])
  })

  it('an alert without a change renders as before (no section)', async () => {
    const alert = await alertAfter('ecs-cluster-deleted', ['BUILT__ecs__DeleteCluster__Root_console_mfaTrue'])
    expect(alert.changes).toBeUndefined()
    expect(slackText(alert)).not.toContain('*Changed*')
  })
})
