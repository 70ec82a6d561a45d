import { describe, expect, it } from 'vitest'
import { Readiness } from '../../src/daemon/readiness.js'
import { createMetrics } from '../../src/metrics/createMetrics.js'
import { buildServer } from '../../src/server/buildServer.js'

const NOW = 1_800_000_000_000

describe('the HTTP server (fastify inject)', () => {
  const setup = (alive = true) => {
    const readiness = new Readiness()
    const metrics = createMetrics()
    const app = buildServer({ readiness, registry: metrics.registry, now: () => NOW, loopAlive: () => ({ ok: alive, detail: 'x' }), onReadyChange: (r) => { metrics.ready.set(r ? 1 : 0) } })
    return { app, readiness, metrics }
  }

  it('/healthz reflects the poll loop', async () => {
    expect((await setup(true).app.inject('/healthz')).statusCode).toBe(200)
    expect((await setup(false).app.inject('/healthz')).statusCode).toBe(503)
  })

  it('/readyz names each check and which failed', async () => {
    const { app, readiness } = setup()
    let res = await app.inject('/readyz')
    expect(res.statusCode).toBe(503)
    expect(res.json()).toEqual({
      ready: false,
      checks: [
        { name: 'rules', ok: false, detail: 'not loaded' },
        { name: 'sqs', ok: false, detail: 'no successful poll within 60 s' },
      ],
      warnings: [],
    })
    readiness.rulesLoaded = true
    readiness.rulesDetail = '25 rules'
    readiness.lastPollOk = NOW - 5_000
    readiness.slack = 'ok'
    res = await app.inject('/readyz')
    expect(res.statusCode).toBe(200)
    readiness.channelProblems.set('#nowhere', 'channel_not_found')
    res = await app.inject('/readyz')
    expect(res.statusCode).toBe(503)
    expect(res.json<{ checks: unknown[] }>().checks).toContainEqual({ name: 'slack-channels', ok: false, detail: '#nowhere: channel_not_found' })
    readiness.channelProblems.clear()
    readiness.lastPollOk = NOW - 61_000
    expect((await app.inject('/readyz')).statusCode).toBe(503)
  })

  it('/metrics exposes the pipeline counters in Prometheus text format', async () => {
    const { app, metrics } = setup()
    metrics.messagesReceived.inc()
    metrics.eventsSeen('UpdateService')
    metrics.ruleMatches.inc({ rule: 'ecs-exec-session', mode: 'alert' })
    const res = await app.inject('/metrics')
    expect(res.headers['content-type']).toContain('text/plain')
    for (const line of [
      'trailwarden_messages_received_total 1',
      'trailwarden_events_total{event_name="UpdateService"} 1',
      'trailwarden_rule_matches_total{rule="ecs-exec-session",mode="alert"} 1',
      '# TYPE trailwarden_queue_lag_seconds histogram',
      '# TYPE trailwarden_last_event_seen_timestamp_seconds gauge',
      '# TYPE trailwarden_slack_rate_limited_total counter',
      '# TYPE trailwarden_rules_last_reload_success gauge',
    ]) expect(res.body).toContain(line)
  })

  it('bounds the eventName label: invented names collapse into "other"', async () => {
    const { app, metrics } = setup()
    for (let i = 0; i < 400; i++) metrics.eventsSeen(`Invented${i}`)
    const body = (await app.inject('/metrics')).body
    expect(body.match(/trailwarden_events_total\{/g)?.length).toBe(301)
    expect(body).toContain('trailwarden_events_total{event_name="other"} 100')
  })
})
