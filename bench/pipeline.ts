import { fork } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { DeleteMessageBatchCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs'
import { WebClient } from '@slack/web-api'
import { pino } from 'pino'
import { Consumer } from 'sqs-consumer'
import { loadRules } from '../src/config/loadRules.js'
import type { Alert } from '../src/core/alerts/alert.js'
import { activeSetOf } from '../src/daemon/activeSet.js'
import { createMessageProcessor } from '../src/daemon/createMessageProcessor.js'
import { startEmbeddedSqs, type EmbeddedSqs } from '../src/local/embeddedSqs.js'
import { createMetrics } from '../src/metrics/createMetrics.js'
import type { AlertSink } from '../src/sinks/alertSink.js'
import { createSlackSink } from '../src/sinks/slack/createSlackSink.js'
import { createSqsSource } from '../src/sources/sqs/createSqsSource.js'
import { startSlackDouble } from '../test/support/slackDouble.js'
import { startEcsDouble } from '../test/support/ecsDouble.js'
import { createEcsClient } from '../src/commands/clients.js'
import { createChangeEnricher } from '../src/sources/ecs/createChangeEnricher.js'
import { createEcsLookup } from '../src/sources/ecs/createEcsLookup.js'
import { MemoryStateStore } from '../src/state/memoryStateStore.js'
import { envelopes } from './corpus.js'
import { percentile } from './measure.js'

const silent = pino({ level: 'silent' })
export const nullSink: AlertSink = { name: 'null', deliver: (_a, t) => Promise.resolve({ status: 'posted', channel: t.channel }), close: () => Promise.resolve() }

/** n bodies: one in ten a matching ExecuteCommand, the rest the other fixtures' envelopes, each with its own eventID. */
export function bodies(n: number, prefix: string): string[] {
  const env = envelopes()
  const exec = env.find((b) => b.includes('"ExecuteCommand"'))!
  return Array.from({ length: n }, (_, i) => {
    const base = JSON.parse(i % 10 === 0 ? exec : env[i % env.length]!) as { detail: Record<string, unknown> }
    base.detail.eventID = `${prefix}-${i}`
    return JSON.stringify(base)
  })
}

async function fill(client: SQSClient, queueUrl: string, items: string[]): Promise<void> {
  for (let i = 0; i < items.length; i += 10) {
    await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: items.slice(i, i + 10).map((b, j) => ({ Id: String(j), MessageBody: b })) }))
  }
}

/** A fresh emulator for the duration of fn (bench/run.ts). */
export type WithSqs = <T>(fn: (sqs: EmbeddedSqs) => Promise<T>) => Promise<T>

/**
 * P3: messages per second drained by trailwarden's consumer and by an sqs-consumer consumer doing the same work,
 * each on an emulator of its own.
 */
export async function drain(withSqs: WithSqs, n: number): Promise<{ ours: number, theirs: number }> {
  const bundle = await loadRules({ rulesDir: 'rules', configPath: 'trailwarden.example.yaml' })
  const active = activeSetOf(bundle.ruleSet, bundle.config, bundle.settings)
  const work = () => createMessageProcessor({ active: () => active, sink: nullSink, metrics: createMetrics(), log: silent })
  type Start = (sqs: EmbeddedSqs, queueUrl: string, onDone: () => void) => { stop: () => Promise<void> | void }
  const rate = (name: string, start: Start) => withSqs(async (sqs) => {
    const { queueUrl } = await sqs.createQueueWithDlq(`drain-${name}-${Date.now()}`, { visibilityTimeoutSeconds: 60 })
    await fill(sqs.client(), queueUrl, bodies(n, name))
    let done = 0
    let finished!: () => void
    const all = new Promise<void>((r) => (finished = r))
    const t0 = performance.now()
    const consumer = start(sqs, queueUrl, () => {
      if (++done === n) finished()
    })
    await all
    const seconds = (performance.now() - t0) / 1000
    await consumer.stop()
    return n / seconds
  })
  const ours = await rate('trailwarden', (sqs, queueUrl, onDone) => {
    const process = work()
    const handler = async (m: Parameters<typeof process>[0]) => {
      const r = await process(m)
      onDone()
      return r
    }
    const source = createSqsSource({ client: sqs.client(), queueUrl, waitTimeSeconds: 1, log: silent, handler })
    source.start()
    return { stop: () => source.stop(1000).then(() => undefined) }
  })
  const theirs = await rate('sqs-consumer', (sqs, queueUrl, onDone) => {
    const process = work()
    const consumer = Consumer.create({
      queueUrl,
      sqs: sqs.client(),
      batchSize: 10,
      waitTimeSeconds: 1,
      handleMessage: async (m) => {
        const r = await process(m)
        onDone()
        if (r.action !== 'ack') throw new Error(r.reason)
        return m
      },
    })
    consumer.start()
    return { stop: () => { consumer.stop() } }
  })
  return { ours, theirs }
}

/** What the consumer asks ReceiveMessage for, so the bare polls make the same request. */
const ATTRIBUTES: Array<'ApproximateReceiveCount' | 'SentTimestamp'> = ['ApproximateReceiveCount', 'SentTimestamp']

/** Send one message per 1/perSecond seconds, un-awaited as EventBridge would; the send time of each lat-N id. */
async function sendSteady(sqs: EmbeddedSqs, queueUrl: string, perSecond: number, total: number, bodyFor: (i: number) => string): Promise<Map<string, number>> {
  const sentAt = new Map<string, number>()
  const sender = sqs.client()
  const t0 = Date.now()
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / perSecond
    const wait = due - Date.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    sentAt.set(`lat-${i}`, Date.now())
    void sender.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: '0', MessageBody: bodyFor(i) }] }))
  }
  return sentAt
}

/**
 * The queue alone under the same load: two long polls that only receive and delete, the same sender at the same rate.
 * SendMessage → ReceiveMessage returning the message.
 */
async function bareAtRate(sqs: EmbeddedSqs, perSecond: number, seconds: number): Promise<number[]> {
  const { queueUrl } = await sqs.createQueueWithDlq(`bare-rate-${Date.now()}`)
  const client = sqs.client()
  const receivedAt = new Map<string, number>()
  let running = true
  const poll = async () => {
    while (running) {
      const request = { QueueUrl: queueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ATTRIBUTES }
      const { Messages: got = [] } = await client.send(new ReceiveMessageCommand(request))
      const now = Date.now()
      for (const m of got) receivedAt.set(m.Body!, now)
      const entries = got.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! }))
      if (entries.length) void client.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }))
    }
  }
  const loops = [poll(), poll()]
  const total = perSecond * seconds
  const sentAt = await sendSteady(sqs, queueUrl, perSecond, total, (i) => `lat-${i}`)
  const deadline = Date.now() + 10_000
  while (receivedAt.size < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  running = false
  await Promise.all(loops)
  return [...receivedAt.entries()].map(([id, t]) => t - sentAt.get(id)!)
}

/**
 * P4: SendMessage → the Slack double receiving chat.postMessage, at a steady rate, next to the bare ReceiveMessage round
 * trip. Every `alertEvery`-th event is an ExecuteCommand that alerts; the others are read-only DescribeClusters calls
 * that no rule matches (most of a real CloudTrail stream), read, evaluated and acknowledged.
 */
export async function latency(sqs: EmbeddedSqs, perSecond: number, seconds: number, alertEvery = 1, change?: 'on' | 'off') {
  const slack = await startSlackDouble()
  const bundle = await loadRules({ rulesDir: 'rules', configPath: 'trailwarden.example.yaml' })
  const active = activeSetOf(bundle.ruleSet, bundle.config, bundle.settings)
  const client = new WebClient('xoxb-test-token', { slackApiUrl: slack.url, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } })
  const sink = createSlackSink({ client, channelIntervalMs: 1, stormThreshold: 1e9 })
  const { queueUrl } = await sqs.createQueueWithDlq(`latency-${Date.now()}`)
  // P4 with the change context (issue 20): the alerting events are UpdateService calls of 20 services (desiredCount
  // 3 ↔ 4, one console-change alert each), with the enrich step on — snapshots in memory, the first event of each
  // service asking the ECS double (ListServiceDeployments) — or off. Everything else is the same in both.
  const ecs = change === 'on' ? await startEcsDouble() : undefined
  const enrich = ecs
    ? createChangeEnricher({
        store: new MemoryStateStore(),
        ecs: createEcsLookup({ client: createEcsClient('eu-west-1', { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-example' }, ecs.url) }),
      })
    : undefined
  const process = createMessageProcessor({ active: () => active, sink, metrics: createMetrics(), log: silent, enrich })
  const startedAt = new Map<string, number>()
  // The daemon's defaults (two long polls, 100 in work).
  const source = createSqsSource({ client: sqs.client(), queueUrl, waitTimeSeconds: 20, log: silent, handler: (m) => {
    const id = /lat-\d+/.exec(m.Body ?? '')?.[0]
    if (id) startedAt.set(id, Date.now())
    return process(m)
  } })
  source.start()
  const exec = JSON.parse(envelopes().find((b) => b.includes('"ExecuteCommand"'))!) as { detail: Record<string, unknown> }
  const read = JSON.parse(envelopes().find((b) => b.includes('"DescribeClusters"'))!) as { detail: Record<string, unknown> }
  const total = perSecond * seconds
  const alerts = Math.ceil(total / alertEvery)
  const update = JSON.parse(readFileSync('rules/ecs/fixtures/BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json', 'utf8')) as Record<string, unknown>
  const changeBody = (i: number) => {
    const service = `svc-${i % 20}`
    const count = 3 + (Math.floor(i / 20) % 2)
    const before = (update.responseElements as { service: Record<string, unknown> }).service
    const detail: Record<string, unknown> = { ...update, eventID: `lat-${i}`, requestParameters: { cluster: 'prod-web', service, desiredCount: count } }
    detail.responseElements = { service: { ...before, serviceName: service, desiredCount: count } }
    return JSON.stringify({ 'version': '0', 'id': `lat-${i}`, 'detail-type': 'AWS API Call via CloudTrail', 'source': 'aws.ecs', 'account': '111122223333', 'region': 'eu-west-1', 'time': update.eventTime, 'resources': [], detail })
  }
  const sentAt = await sendSteady(sqs, queueUrl, perSecond, total, (i) => {
    if (change && i % alertEvery === 0) return changeBody(i)
    const body = i % alertEvery === 0 ? exec : read
    body.detail.eventID = `lat-${i}`
    return JSON.stringify(body)
  })
  const deadline = Date.now() + 30_000
  while (slack.messages.length < alerts && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  const latencies = slack.callsOf('chat.postMessage').flatMap((c) => {
    const id = /lat-\d+/.exec(String(c.args.blocks))?.[0]
    return id ? [c.at - sentAt.get(id)!] : []
  })
  const toHandler = [...startedAt.entries()].map(([id, t]) => t - sentAt.get(id)!)
  await source.stop(1000)
  const loaded = await bareAtRate(sqs, perSecond, Math.min(5, seconds))
  const sender = sqs.client()
  // The bare round trip: a long poll waiting, a message sent, the poll returning it.
  const { queueUrl: bareUrl } = await sqs.createQueueWithDlq(`bare-${Date.now()}`)
  const bare: number[] = []
  const rc = sqs.client()
  for (let i = 0; i < 200; i++) {
    // The same request the consumer makes (up to 10 messages, the same attributes), so the two are comparable.
    const poll = rc.send(new ReceiveMessageCommand({ QueueUrl: bareUrl, WaitTimeSeconds: 5, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ATTRIBUTES }))
    await new Promise((r) => setTimeout(r, 2))
    const s = Date.now()
    await sender.send(new SendMessageCommand({ QueueUrl: bareUrl, MessageBody: 'x' }))
    const got = await poll
    bare.push(Date.now() - s)
    if (got.Messages?.[0]) await rc.send(new DeleteMessageCommand({ QueueUrl: bareUrl, ReceiptHandle: got.Messages[0].ReceiptHandle! }))
  }
  await slack.close()
  await ecs?.close()
  return {
    delivered: latencies.length,
    total: alerts,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    bareP50: percentile(bare, 50),
    bareP99: percentile(bare, 99),
    loadedP50: percentile(loaded, 50),
    loadedP99: percentile(loaded, 99),
    handlerP50: percentile(toHandler, 50), handlerP99: percentile(toHandler, 99),
  }
}

/** P6: an alert storm straight into the Slack sink; Slack calls per channel per second, and every event accounted for. */
export async function storm(total: number, seconds: number) {
  const slack = await startSlackDouble()
  const client = new WebClient('xoxb-test-token', { slackApiUrl: slack.url, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } })
  const sink = createSlackSink({ client })
  const bundle = await loadRules({ rulesDir: 'rules', configPath: 'trailwarden.example.yaml' })
  const { readEvents } = await import('../src/core/intake/readEvents.js')
  const { evaluate } = await import('../src/core/rules/engine/evaluate.js')
  const { buildAlert } = await import('../src/core/alerts/buildAlert.js')
  const event = readEvents(envelopes().find((b) => b.includes('"ExecuteCommand"'))!, bundle.settings).events[0]!
  const template: Alert = buildAlert(evaluate(bundle.ruleSet, event, Date.now()).matched[0]!, event, bundle.config.accounts)
  const outcomes: Array<Promise<{ status: string }>> = []
  const t0 = Date.now()
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * seconds * 1000) / total
    const wait = due - Date.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    outcomes.push(sink.deliver({ ...template, eventKey: `storm-${i}`, eventId: `storm-${i}` }, { channel: i % 2 === 0 ? '#alerts' : '#security' }))
  }
  const results = await Promise.all(outcomes)
  await sink.close()
  const perSecond = new Map<string, number>()
  for (const c of slack.callsOf('chat.postMessage')) {
    const k = `${String(c.args.channel)}@${Math.floor(c.at / 1000)}`
    perSecond.set(k, (perSecond.get(k) ?? 0) + 1)
  }
  const digested = slack.messages.filter((m) => m.text.startsWith('Alert storm:')).reduce((s, m) => s + Number(/(\d+) alerts/.exec(m.text)![1]), 0)
  await slack.close()
  return {
    total,
    posted: results.filter((r) => r.status === 'posted').length,
    digested: results.filter((r) => r.status === 'digested').length,
    digestedInMessages: digested,
    slackCalls: slack.calls.length,
    maxPerChannelPerSecond: Math.max(...perSecond.values()),
  }
}

/** P5: the RSS of a consumer process (1,000 generated rules plus the bundled ones, node started with `flags`) at a steady rate, sampled each second. */
export async function memory(sqs: EmbeddedSqs, perSecond: number, seconds: number, flags: string[]) {
  const { queueUrl } = await sqs.createQueueWithDlq(`rss-${Date.now()}`)
  const child = fork(new URL('./memoryChild.js', import.meta.url), [queueUrl, sqs.endpoint], { stdio: 'inherit', execArgv: flags })
  const samples: number[] = []
  child.on('message', (m: { rss: number }) => samples.push(m.rss))
  await new Promise((r) => child.once('message', r))
  const items = bodies(perSecond * seconds, 'rss')
  const sender = sqs.client()
  const t0 = Date.now()
  for (let i = 0; i < items.length; i += 10) {
    const due = t0 + (i * 1000) / perSecond
    const wait = due - Date.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    void sender.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: items.slice(i, i + 10).map((b, j) => ({ Id: String(j), MessageBody: b })) }))
  }
  await new Promise((r) => setTimeout(r, 2000))
  child.kill('SIGTERM')
  const steady = samples.slice(Math.floor(samples.length / 5))
  const firstHalf = steady.slice(0, Math.floor(steady.length / 2))
  const secondHalf = steady.slice(Math.floor(steady.length / 2))
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
  const growthPct = (100 * (mean(secondHalf) - mean(firstHalf))) / mean(firstHalf)
  return { rssMb: percentile(steady, 50) / 2 ** 20, maxMb: Math.max(...steady) / 2 ** 20, growthPct }
}

export { startEmbeddedSqs }
