import { describe, expect, it } from 'vitest'
import { SlackHealth } from '../../../src/sinks/slack/slackHealth.js'

describe('the Slack sink\'s readiness', () => {
  it('not ready until the token is checked; ready once auth.test passes', () => {
    let now = 100
    const h = new SlackHealth(() => now)
    expect(h.status()).toEqual({ ok: false, reason: 'auth.test not run yet', since: 100 })
    now = 200
    h.authChecked({ ok: true })
    expect(h.status()).toEqual({ ok: true, reason: 'token accepted; no channel failing', since: 200 })
  })

  it('names each failing check with Slack\'s code; since moves only when ok changes', () => {
    let now = 0
    const h = new SlackHealth(() => now)
    h.authChecked({ ok: false, code: 'invalid_auth' })
    now = 10
    h.channelFailed('#alerts', 'channel_not_found')
    h.channelFailed('#security', 'not_in_channel')
    expect(h.status()).toEqual({ ok: false, reason: 'auth.test failed: invalid_auth; #alerts: channel_not_found; #security: not_in_channel', since: 0 })
    now = 20
    h.channelDelivered('#security')
    expect(h.status()).toEqual({ ok: false, reason: '#alerts: channel_not_found', since: 0 })
    now = 30
    h.channelDelivered('#alerts')
    expect(h.status()).toEqual({ ok: true, reason: 'token accepted; no channel failing', since: 30 })
  })

  it('a delivery proves the token: a failed auth.test (Slack unreachable at start) does not hold readiness forever', () => {
    const h = new SlackHealth(() => 0)
    h.authChecked({ ok: false, code: 'request_error' })
    h.channelDelivered('#alerts')
    expect(h.status().ok).toBe(true)
  })
})
