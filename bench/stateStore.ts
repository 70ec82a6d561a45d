import type { Message } from '@aws-sdk/client-sqs'
import { WebClient } from '@slack/web-api'
import { pino } from 'pino'
import { loadRules } from '../src/config/loadRules.js'
import { activeSetOf } from '../src/daemon/activeSet.js'
import { createMessageProcessor } from '../src/daemon/createMessageProcessor.js'
import { createMetrics } from '../src/metrics/createMetrics.js'
import { createSlackSink } from '../src/sinks/slack/createSlackSink.js'
import { DynamoStateStore } from '../src/state/dynamoStateStore.js'
import { startDynamoEmulator } from '../test/support/dynamoEmulator.js'
import { startSlackDouble } from '../test/support/slackDouble.js'
import { envelopes } from './corpus.js'
import { percentile } from './measure.js'

const silent = pino({ level: 'silent' })

export interface StateStoreFigures {
  memoryP50: number
  memoryP99: number
  dynamoP50: number
  dynamoP99: number
  /** DynamoDB calls per delivered alert, per event that matched nothing, per redelivered (duplicate) alert. */
  callsPerAlert: number
  /** Of those, the delivery's own (claim and mark: the `claim#` namespace); the rest are per channel and time. */
  claimCallsPerAlert: number
  callsPerQuiet: number
  callsPerRedelivery: number
}

/**
 * One round, side by side: the daemon's message processor and the real Slack sink (through @slack/web-api to the
 * Slack double), once with the in-memory default and once with the DynamoDB store on dynalite. Messages go one at a
 * time; an alert's time is processor(message) start to its acknowledgement decision (decide, claim, post, mark).
 */
export async function stateStoreRound(alerts: number, quiet: number): Promise<StateStoreFigures> {
  const slack = await startSlackDouble()
  const dynamo = await startDynamoEmulator()
  try {
    const bundle = await loadRules({ rulesDir: 'rules', configPath: 'trailwarden.example.yaml' })
    const active = activeSetOf(bundle.ruleSet, bundle.config, bundle.settings)
    const exec = JSON.parse(envelopes().find((b) => b.includes('"ExecuteCommand"'))!) as { detail: Record<string, unknown> }
    const read = JSON.parse(envelopes().find((b) => b.includes('"DescribeClusters"'))!) as { detail: Record<string, unknown> }
    const message = (body: { detail: Record<string, unknown> }, id: string): Message => {
      body.detail.eventID = id
      return { MessageId: id, Body: JSON.stringify(body), Attributes: { ApproximateReceiveCount: '1' } }
    }
    const client = () => new WebClient('xoxb-test-token', { slackApiUrl: slack.url, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } })
    const store = new DynamoStateStore(dynamo.client(), await dynamo.createTable())
    const run = async (kind: 'memory' | 'dynamodb') => {
      const sink = createSlackSink({ client: client(), channelIntervalMs: 1, stormThreshold: 1e9, ...(kind === 'dynamodb' ? { state: store } : {}) })
      const process = createMessageProcessor({ active: () => active, sink, metrics: createMetrics(), log: silent })
      const times: number[] = []
      let quietCalls = 0
      let alertCalls = 0
      for (let i = 0; i < alerts + quiet; i++) {
        const isAlert = i % Math.max(1, Math.round((alerts + quiet) / alerts)) === 0 && times.length < alerts
        const before = store.calls
        const t = performance.now()
        const result = await process(message(isAlert ? exec : read, `${kind}-${Date.now()}-${i}`))
        if (result.action !== 'ack') throw new Error(`bench message not acknowledged: ${JSON.stringify(result)}`)
        if (isAlert) {
          times.push(performance.now() - t)
          alertCalls += store.calls - before
        } else quietCalls += store.calls - before
      }
      // Redelivery of the last alert, as SQS does after a lost delete: a duplicate.
      const before = store.calls
      await process(message(exec, `${kind}-redelivered`))
      await process(message(exec, `${kind}-redelivered`))
      const redelivery = store.calls - before
      await sink.close()
      return { times, alertCalls, quietCalls, redelivery }
    }
    await run('memory') // warm-up: JIT, connections
    const memory = await run('memory')
    const dynamodb = await run('dynamodb')
    const alertCount = dynamodb.times.length
    return {
      memoryP50: percentile(memory.times, 50),
      memoryP99: percentile(memory.times, 99),
      dynamoP50: percentile(dynamodb.times, 50),
      dynamoP99: percentile(dynamodb.times, 99),
      callsPerAlert: dynamodb.alertCalls / alertCount,
      // Every claim call belongs to an alert (a non-matching event makes none); the redelivered pair's are taken out.
      claimCallsPerAlert: ((store.callsByNamespace.get('claim') ?? 0) - dynamodb.redelivery) / alertCount,
      callsPerQuiet: dynamodb.quietCalls / Math.max(1, alerts + quiet - alertCount),
      // The first of the two receipts posts (2 calls); the second is the redelivery.
      callsPerRedelivery: dynamodb.redelivery - 2,
    }
  } finally {
    await dynamo.stop()
    await slack.close()
  }
}
