import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { configSchema } from '../../../src/config/configSchema.js'
import type { Alert } from '../../../src/core/alerts/alert.js'
import { routeAlert } from '../../../src/core/alerts/routeAlert.js'

// Routing as a pure function over inline config, alertmanager-style.
const routes = configSchema.parse(parse(`
slack:
  defaultChannel: "#alerts"
  routes:
    - match: { minSeverity: critical }
      channel: "#security"
      mention: S0SECURITY
      continue: true
    - match: { env: [prod], tags: [change-management] }
      channel: "#prod-changes"
    - match: { rule: [ecs-access-denied] }
      channel: "#iam-noise"
    - match: { severity: [info, low] }
      channel: "#low"
`)).slack.routes

const alert = (overrides: Partial<Alert>): Alert => ({
  ruleId: 'r', title: 't', severity: 'medium', description: 'd', tags: [], eventKey: 'k', recordDigest: 'd', eventName: 'UpdateService',
  eventSource: 'ecs.amazonaws.com', eventTime: '2026-11-02T10:00:00Z', actor: { type: 'IAMUser', console: false, service: false, via: 'cli' },
  ecs: {}, details: [], conditions: [], links: {}, ...overrides,
})

describe('routeAlert', () => {
  it.each<[string, Partial<Alert>, Array<{ channel: string, mention?: string }>]>([
    ['no route matches: the default channel', {}, [{ channel: '#alerts' }]],
    ['critical continues past the first route', { severity: 'critical', env: 'prod', tags: ['change-management'] }, [{ channel: '#security', mention: 'S0SECURITY' }, { channel: '#prod-changes' }]],
    ['critical alone: security only (continue, then nothing else matches)', { severity: 'critical' }, [{ channel: '#security', mention: 'S0SECURITY' }]],
    ['every criterion of a route must hold', { env: 'prod', tags: ['other'] }, [{ channel: '#alerts' }]],
    ['the first match without continue stops', { ruleId: 'ecs-access-denied', severity: 'low' }, [{ channel: '#iam-noise' }]],
    ['severity lists', { severity: 'info' }, [{ channel: '#low' }]],
    ['the rule\'s notify.channel wins over routes', { severity: 'critical', notify: { channel: '#team', mention: 'U0ALICE1' } }, [{ channel: '#team', mention: 'U0ALICE1' }]],
    ['a rule mention applies on the default route', { notify: { mention: 'S0TEAM123' } }, [{ channel: '#alerts', mention: 'S0TEAM123' }]],
  ])('%s', (_name, overrides, expected) => {
    expect(routeAlert(alert(overrides), routes, '#alerts')).toEqual(expected)
  })
})
