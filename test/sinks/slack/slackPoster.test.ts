import { WebClient } from '@slack/web-api'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Alert } from '../../../src/core/alerts/alert.js'
import { renderSlack } from '../../../src/core/alerts/renderSlack.js'
import { ChannelQueues } from '../../../src/sinks/slack/channelQueues.js'
import { SlackPoster } from '../../../src/sinks/slack/slackPoster.js'
import { alertFor } from '../../support/alerts.js'
import { type SlackDouble, startSlackDouble } from '../../support/slackDouble.js'

let slack: SlackDouble
let poster: SlackPoster
let alert: Alert
beforeAll(async () => {
  slack = await startSlackDouble()
  const client = new WebClient('xoxb-test-token', { slackApiUrl: slack.url, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, timeout: 2_000 })
  poster = new SlackPoster(client, new ChannelQueues({ intervalMs: 1, maxRateLimitWaitMs: 0, breakerMs: 0, now: Date.now }))
  alert = await alertFor('rules/ecs/fixtures/BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json', 'ecs-exec-session')
})
afterAll(() => slack.close())
beforeEach(() => {
  slack.reset()
})

describe('posting', () => {
  it('posts blocks without unfurling and answers with the channel id chat.update needs', async () => {
    const posted = await poster.post('#alerts', renderSlack(alert))
    expect(posted).toEqual({ ts: slack.messages[0]!.ts, channelId: 'C0ALERTS' })
    expect(slack.callsOf('chat.postMessage')[0]!.args).toMatchObject({ channel: '#alerts', unfurl_links: 'false', unfurl_media: 'false' })
    await poster.update('#alerts', posted, { text: 'edited', blocks: [] })
    expect(slack.messages[0]!.text).toBe('edited')
  })

  it.each(['msg_too_long', 'invalid_blocks', 'invalid_blocks_format', 'no_text'])('%s: the minimal text-only rendering is posted instead', async (code) => {
    slack.script('chat.postMessage', { kind: 'error', error: code })
    await poster.postAlert(alert, '#alerts', renderSlack(alert))
    expect(slack.messages).toHaveLength(1)
    expect(slack.messages[0]!.blocks).toBeUndefined()
    expect(slack.messages[0]!.text).toContain(`(the full alert was rejected by Slack: \`${code}\`)`)
  })

  it('a payload rejected even in its minimal form fails as payload (the message ends in the DLQ)', async () => {
    slack.script('chat.postMessage', { kind: 'error', error: 'msg_too_long' }, { kind: 'error', error: 'msg_too_long' })
    expect(await poster.postAlert(alert, '#alerts', renderSlack(alert)).catch((e: unknown) => e)).toMatchObject({ kind: 'payload', code: 'msg_too_long' })
  })

  it('other failures are not retried as minimal: a channel problem stays a configuration failure', async () => {
    slack.script('chat.postMessage', { kind: 'error', error: 'is_archived' })
    expect(await poster.postAlert(alert, '#alerts', renderSlack(alert)).catch((e: unknown) => e)).toMatchObject({ kind: 'configuration', code: 'is_archived' })
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1)
  })
})
