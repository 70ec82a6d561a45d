import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import type { HasStatus } from '../../src/health/componentStatus.js'
import { composeReadiness } from '../../src/health/composeReadiness.js'
import { createMetrics } from '../../src/metrics/createMetrics.js'
import { buildServer } from '../../src/server/buildServer.js'

const NOW = 1_800_000_000_000

/** A component as the daemon's parts are seen by readiness: a name and a read-only status. */
const component = (name: string, ok: boolean, reason: string, warnings?: string[]): HasStatus => ({
  name,
  status: () => ({ ok, reason, since: NOW - 1_000, ...(warnings ? { warnings } : {}) }),
})

describe('the HTTP server (fastify inject)', () => {
  const setup = (components: HasStatus[] = [component('rules', true, '25 rules')], alive = true, requestTimeoutMs?: number) => {
    const metrics = createMetrics()
    const app = buildServer({
      readiness: () => composeReadiness(components, NOW),
      liveness: () => ({ ok: alive, detail: 'x' }),
      registry: metrics.registry,
      onReadyChange: (r) => { metrics.ready.set(r ? 1 : 0) },
      ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
    })
    return { app, metrics }
  }

  it('/healthz reflects the poll loop', async () => {
    expect((await setup(undefined, true).app.inject('/healthz')).statusCode).toBe(200)
    expect((await setup(undefined, false).app.inject('/healthz')).statusCode).toBe(503)
  })

  it('/readyz composes the components: each check by name, ready only when all are', async () => {
    const parts = [component('rules', true, '25 rules, set abc'), component('sqs', false, 'no successful poll within 60 s'), component('bus-rule', true, 'drifts', ['bus rule x: UpdateService filtered out'])]
    const res = await setup(parts).app.inject('/readyz')
    expect(res.statusCode).toBe(503)
    expect(res.json()).toEqual({
      ready: false,
      checks: [
        { name: 'rules', ok: true, reason: '25 rules, set abc', since: new Date(NOW - 1_000).toISOString() },
        { name: 'sqs', ok: false, reason: 'no successful poll within 60 s', since: new Date(NOW - 1_000).toISOString() },
        { name: 'bus-rule', ok: true, reason: 'drifts', since: new Date(NOW - 1_000).toISOString() },
      ],
      warnings: ['bus rule x: UpdateService filtered out'],
    })
    expect((await setup([component('rules', true, 'ok'), component('sqs', true, 'polled within 60 s')]).app.inject('/readyz')).statusCode).toBe(200)
  })

  it('cuts a request dripped slowly instead of holding the connection open (issue 16)', async () => {
    const { app } = setup(undefined, true, 300)
    const url = new URL(await app.listen({ host: '127.0.0.1', port: 0 }))
    const socket = connect(Number(url.port), '127.0.0.1')
    const closed = new Promise<string>((resolve) => {
      let answer = ''
      socket.on('data', (d: Buffer) => { answer += d.toString() })
      socket.on('close', () => { resolve(answer) })
    })
    // Headers never finish: a byte at a time, slower than the timeout allows for the whole request.
    socket.write('GET /readyz HTTP/1.1\r\nHost: x\r\n')
    const drip = setInterval(() => socket.write('X'), 100)
    const answer = await closed
    clearInterval(drip)
    expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true)
    await app.close()
  })

  it('refuses a request body over 1 KiB (only GETs are served)', async () => {
    const res = await setup().app.inject({ method: 'POST', url: '/readyz', payload: 'x'.repeat(4096), headers: { 'content-type': 'text/plain' } })
    expect([404, 413]).toContain(res.statusCode)
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

  it('bounds label values in bytes: 300 eventNames of 100 KB make a small page (issue 16)', async () => {
    const { app, metrics } = setup()
    for (let i = 0; i < 300; i++) metrics.eventsSeen(`${'A'.repeat(100_000)}${i}`)
    metrics.eventsSeen('Update\nService{evil="1"}')
    const body = (await app.inject('/metrics')).body
    expect(body.length).toBeLessThan(200_000)
    expect(body).toContain('trailwarden_events_total{event_name="other"} 301')
  })
})
