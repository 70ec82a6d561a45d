import { describe, expect, it } from 'vitest'
import { consoleLinks } from '../../../src/core/alerts/consoleLinks.js'
import { alertsFor } from '../../support/alerts.js'
import { fixtureText } from '../../support/fixtures.js'

const F = 'rules/ecs/fixtures/'
const LONE = '\ud800'

describe('consoleLinks: a lone surrogate (legal in JSON) never throws', () => {
  it.each([
    ['cluster and service', { cluster: `prod-${LONE}web`, service: 'web' }, undefined, 'ecs'],
    ['service', { cluster: 'prod-web', service: `web${LONE}` }, undefined, 'ecs'],
    ['task definition family', { taskDefinition: `api${LONE}:7` }, undefined, 'ecs'],
    ['task definition revision', { taskDefinition: 'api:7\udfff' }, undefined, 'ecs'],
    ['cluster alone', { cluster: LONE }, undefined, 'ecs'],
    ['event id', {}, `5b1d3c9e-${LONE}`, 'cloudtrail'],
  ] as const)('in the %s', (_case, ecs, eventId, which) => {
    const links = consoleLinks('eu-west-1', eventId, ecs)
    // The surrogate becomes U+FFFD, encoded as UTF-8.
    expect(links[which]).toContain('%EF%BF%BD')
  })

  it('values of the wrong type give no link instead of a throw', () => {
    const hostile = { toString: 1 } as unknown as string
    expect(consoleLinks(hostile, hostile, { cluster: hostile, service: hostile, taskDefinition: hostile })).toEqual({})
    expect(consoleLinks('eu-west-1', hostile, { cluster: hostile, taskDefinition: hostile })).toEqual({})
  })

  it('a real UpdateService event with a lone surrogate in its cluster still raises its alert, with links', async () => {
    const record = JSON.parse(fixtureText(`${F}BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json`)) as { requestParameters: Record<string, unknown> }
    record.requestParameters.service = `web${LONE}`
    const alerts = await alertsFor('inline', JSON.stringify(record))
    const alert = alerts.find((a) => a.ruleId === 'ecs-console-change-in-prod')
    expect(alert?.links.ecs).toBe('https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod-web/services/web%EF%BF%BD/health?region=eu-west-1')
  })
})
