import { SQSClient } from '@aws-sdk/client-sqs'
import { pino } from 'pino'
import { loadRules } from '../src/config/loadRules.js'
import { createRuleSet } from '../src/core/rules/engine/ruleSet.js'
import { activeSetOf } from '../src/daemon/activeSet.js'
import { createMessageProcessor } from '../src/daemon/createMessageProcessor.js'
import { createMetrics } from '../src/metrics/createMetrics.js'
import { createSqsSource } from '../src/sources/sqs/createSqsSource.js'
import { generatedRuleSet } from './corpus.js'

// The consumer of P5, in its own process so its RSS is its own: 1,000 generated rules plus the bundled 25.
const [queueUrl, endpoint] = process.argv.slice(2) as [string, string]
const bundle = await loadRules({ rulesDir: 'rules', configPath: 'trailwarden.example.yaml' })
const generated = generatedRuleSet(1000, bundle.config.lists as Record<string, string[]>)
const ruleSet = createRuleSet([...bundle.ruleSet.rules, ...generated.rules], 'bench')
const active = activeSetOf(ruleSet, bundle.config, bundle.settings)
const silent = pino({ level: 'silent' })
const sink = { name: 'null', deliver: (_a: unknown, t: { channel: string }) => Promise.resolve({ status: 'posted' as const, channel: t.channel }), close: () => Promise.resolve() }
const process_ = createMessageProcessor({ active: () => active, sink, metrics: createMetrics(), log: silent })
const source = createSqsSource({ client: new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }), queueUrl, waitTimeSeconds: 1, pollers: 4, log: silent, handler: process_ })
source.start()
process.send?.({ rss: process.memoryUsage().rss })
const timer = setInterval(() => process.send?.({ rss: process.memoryUsage().rss }), 1000)
process.once('SIGTERM', () => {
  clearInterval(timer)
  void source.stop(500).then(() => process.exit(0))
})
