import { SQSClient } from '@aws-sdk/client-sqs'
import { WebClient } from '@slack/web-api'
import { pino } from 'pino'
import { loadRules } from '../src/config/loadRules.js'
import { activeSetOf } from '../src/daemon/activeSet.js'
import { createMessageProcessor } from '../src/daemon/createMessageProcessor.js'
import { createMetrics } from '../src/metrics/createMetrics.js'
import { createSlackSink } from '../src/sinks/slack/createSlackSink.js'
import { createSqsSource } from '../src/sources/sqs/createSqsSource.js'

// The consumer of P5's large-field row, in its own process so its RSS is its own: the bundled rules, the real Slack
// sink (its idempotency and thread memories are among the caches measured) against the Slack double in the parent.
const [queueUrl, endpoint, slackUrl] = process.argv.slice(2) as [string, string, string]
const bundle = await loadRules({ rulesDir: 'rules', configPath: 'trailwarden.example.yaml' })
const active = activeSetOf(bundle.ruleSet, bundle.config, bundle.settings)
const silent = pino({ level: 'silent' })
const client = new WebClient('xoxb-test-token', { slackApiUrl: slackUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } })
// Storm digests off: they hold alerts for up to a minute, which only slows the drain (memory is read after it).
const sink = createSlackSink({ client, channelIntervalMs: 1, stormThreshold: 1e9 })
const metrics = createMetrics()
const handle = createMessageProcessor({ active: () => active, sink, metrics, log: silent })
let done = 0
const source = createSqsSource({
  client: new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  queueUrl, waitTimeSeconds: 1, pollers: 4, log: silent,
  handler: async (m) => {
    try {
      return await handle(m)
    } finally {
      done += 1
    }
  },
})
source.start()
const gc = (globalThis as { gc?: () => void }).gc
process.on('message', (m: { ask?: string }) => {
  if (m.ask !== 'rss') return
  // Two full collections: what stays is what the process retains, not garbage not yet collected.
  gc?.()
  gc?.()
  process.send?.({ rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed, done, metricsBytes: 0 })
})
process.send?.({ ready: true })
process.once('SIGTERM', () => {
  void source.stop(500).then(() => process.exit(0))
})
