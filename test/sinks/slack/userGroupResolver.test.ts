import { WebClient } from '@slack/web-api'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { mentionHandles, mentionSyntax, resolveMentions } from '../../../src/core/alerts/mentionSyntax.js'
import type { Alert } from '../../../src/core/alerts/alert.js'
import { createSlackSink } from '../../../src/sinks/slack/createSlackSink.js'
import { UserGroupResolver } from '../../../src/sinks/slack/userGroupResolver.js'
import { alertFor } from '../../support/alerts.js'
import { DEFAULT_USER_GROUPS, type SlackDouble, startSlackDouble } from '../../support/slackDouble.js'

let slack: SlackDouble
let alert: Alert
beforeAll(async () => {
  slack = await startSlackDouble()
  alert = await alertFor('rules/ecs/fixtures/BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json', 'ecs-console-change-in-prod')
})
afterAll(() => slack.close())
beforeEach(() => {
  slack.reset()
})

const client = () => new WebClient('xoxb-test-token', { slackApiUrl: slack.url, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, timeout: 2_000 })

describe('mentions in Slack\'s syntax (pure)', () => {
  it.each<[string, string]>([
    ['@here', '<!here>'],
    ['channel', '<!channel>'],
    ['U0ALICE01', '<@U0ALICE01>'],
    ['<@U0ALICE01>', '<@U0ALICE01>'],
    ['S0SECONCALL', '<!subteam^S0SECONCALL>'],
    ['<!subteam^S0SECONCALL|security-oncall>', '<!subteam^S0SECONCALL>'],
    ['@security-oncall', '<!subteam^S0SECONCALL>'],
    ['@Security-OnCall', '<!subteam^S0SECONCALL>'],
    ['@nobody-home', '@nobody-home'],
    ['@__proto__', '@__proto__'],
    ['<!channel|x>', '&lt;!channel|x&gt;'],
  ])('%s → %s', (mention, expected) => {
    expect(mentionSyntax(resolveMentions(mention, { 'security-oncall': 'S0SECONCALL' }))).toBe(expected)
  })

  it('the handles a config names: not ids, not here/channel, each once, lowercase', () => {
    expect(mentionHandles(['@security-oncall', 'U0ALICE01 @Platform-Oncall', '@here', undefined, '@security-oncall', '<@U0ALICE01>'])).toEqual(['security-oncall', 'platform-oncall'])
  })
})

describe('UserGroupResolver against the Slack double (usergroups.list)', () => {
  it('found and unknown handles; disabled groups are not asked for', async () => {
    const r = await new UserGroupResolver(client(), { now: Date.now }).resolve(['security-oncall', '@platform-oncall', 'old-team', 'nobody'])
    expect(r).toEqual({ groups: { 'security-oncall': 'S0SECONCALL', 'platform-oncall': 'S0PLATFORM1' }, unknown: ['old-team', 'nobody'] })
    expect(slack.callsOf('usergroups.list')[0]?.args).toMatchObject({ include_disabled: 'false' })
  })

  it('no handle to resolve: no call (a token without usergroups:read is fine until a config names a handle)', async () => {
    expect(await new UserGroupResolver(client(), { now: Date.now }).resolve([])).toEqual({ groups: {}, unknown: [] })
    expect(slack.callsOf('usergroups.list')).toHaveLength(0)
  })

  it.each<[string, Parameters<SlackDouble['script']>[1], string]>([
    ['missing_scope', { kind: 'error', error: 'missing_scope' }, 'missing_scope'],
    ['rate limited', { kind: 'rateLimited', retryAfterSeconds: 1 }, 'ratelimited'],
    ['Slack down', { kind: 'http', status: 503 }, 'http_503'],
  ])('%s: the error code, every handle unknown, no throw', async (_name, reply, code) => {
    slack.script('usergroups.list', reply)
    expect(await new UserGroupResolver(client(), { now: Date.now }).resolve(['security-oncall'])).toEqual({ groups: {}, unknown: ['security-oncall'], error: code })
  })

  it('a failing call keeps the last good answer; an answer is reused within maxAgeMs and asked again after', async () => {
    let t = 0
    const resolver = new UserGroupResolver(client(), { now: () => t, maxAgeMs: 1_000 })
    await resolver.resolve(['security-oncall'])
    t = 500
    await resolver.resolve(['security-oncall'])
    expect(slack.callsOf('usergroups.list')).toHaveLength(1)
    t = 2_000
    slack.script('usergroups.list', { kind: 'error', error: 'missing_scope' })
    expect(await resolver.resolve(['security-oncall'])).toEqual({ groups: { 'security-oncall': 'S0SECONCALL' }, unknown: [], error: 'missing_scope' })
  })

  it('bounded: at most maxGroups groups kept from one answer, over-long handles and malformed ids skipped', async () => {
    slack.setUserGroups([
      ...Array.from({ length: 50 }, (_, i) => ({ id: `S0GRP${String(i).padStart(4, '0')}`, handle: `group-${i}`, name: `Group ${i}` })),
      { id: 'not-an-id', handle: 'bad-id', name: 'x' },
      { id: 'S0LONGHANDLE', handle: 'h'.repeat(101), name: 'x' },
    ])
    const r = await new UserGroupResolver(client(), { now: Date.now, maxGroups: 10 }).resolve(['group-0', 'group-9', 'group-10', 'bad-id'])
    expect(r.groups).toEqual({ 'group-0': 'S0GRP0000', 'group-9': 'S0GRP0009' })
    expect(r.unknown).toEqual(['group-10', 'bad-id'])
  })
})

describe('the Slack sink resolves the config\'s handles at start and on every reload', () => {
  it('found: the post pages the group; unknown: a readiness warning and the handle inert; a reload re-resolves', async () => {
    const s = createSlackSink({ client: client(), channelIntervalMs: 5, userGroupsMaxAgeMs: 0 })
    s.configure({ stormThreshold: 20, perChannelPerSecond: 100, mentionHandles: ['security-oncall', 'platform-oncall', 'sre-oncall'] })
    const status = await s.verify()
    expect(status.ok).toBe(true)
    expect(status.warnings).toEqual(['mention not a Slack user group, shown as text and paging nobody: @sre-oncall'])
    await s.deliver(alert, { channel: '#security', mention: '@security-oncall @sre-oncall' })
    expect(slack.messages[0]?.text).toMatch(/^<!subteam\^S0SECONCALL> @sre-oncall /)
    // The group is created in Slack; the next reload (configure) resolves it.
    slack.setUserGroups([...DEFAULT_USER_GROUPS, { id: 'S0SREONCALL', handle: 'sre-oncall', name: 'SRE' }])
    s.configure({ stormThreshold: 20, perChannelPerSecond: 100, mentionHandles: ['security-oncall', 'sre-oncall'] })
    expect((await s.verify()).warnings).toBeUndefined()
    await s.deliver({ ...alert, eventKey: 'k2' }, { channel: '#security', mention: '@sre-oncall' })
    expect(slack.messages[1]?.text).toMatch(/^<!subteam\^S0SREONCALL> /)
    expect(slack.callsOf('usergroups.list')).toHaveLength(2)
    await s.close()
  })

  it('usergroups.list failing (missing_scope) is a warning, never a refusal: the alert still posts, the handle inert', async () => {
    slack.script('usergroups.list', { kind: 'error', error: 'missing_scope' })
    const s = createSlackSink({ client: client(), channelIntervalMs: 5 })
    s.configure({ stormThreshold: 20, perChannelPerSecond: 100, mentionHandles: ['security-oncall'] })
    const status = await s.verify()
    expect(status.ok).toBe(true)
    expect(status.warnings?.[0]).toMatch(/usergroups\.list failed \(missing_scope: add the usergroups:read scope\)/)
    expect(await s.deliver(alert, { channel: '#security', mention: '@security-oncall' })).toMatchObject({ status: 'posted' })
    expect(slack.messages[0]?.text).toMatch(/^@security-oncall /)
    await s.close()
  })
})
