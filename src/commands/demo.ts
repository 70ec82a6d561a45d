import { readdir, readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { SendMessageCommand } from '@aws-sdk/client-sqs'
import { startDaemon } from '../daemon/startDaemon.js'
import { startEmbeddedSqs } from '../local/embeddedSqs.js'
import { createMetrics } from '../metrics/createMetrics.js'
import { createStdoutSink } from '../sinks/stdoutSink.js'
import { createLogger } from './clients.js'
import { type Command, packageRoot } from './io.js'

const examplesDir = new URL('examples/events/', packageRoot)
const pathOf = (u: URL) => decodeURIComponent(u.pathname)

async function counter(metrics: ReturnType<typeof createMetrics>, name: string): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name)
  return (metric?.values ?? []).reduce((sum, v) => sum + v.value, 0)
}

const OPTIONS = { follow: { type: 'boolean', description: 'keep running after the sample events: send more messages to the queue, Ctrl-C stops' } } as const

export const demoCommand: Command = {
  options: OPTIONS,
  summary: 'the whole pipeline on loopback: embedded SQS emulator, the bundled rules, sample events, alerts on stdout',
  usage: 'trailwarden demo [--follow]',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: OPTIONS })
    const sqs = await startEmbeddedSqs()
    const { queueUrl } = await sqs.createQueueWithDlq('trailwarden-demo', { maxReceiveCount: 3, visibilityTimeoutSeconds: 30 })
    const metrics = createMetrics()
    const log = createLogger(io.env.LOG_LEVEL ?? 'error')
    const daemon = await startDaemon({
      sqs: sqs.client(),
      queueUrl,
      sink: createStdoutSink(io.stdout, { json: false }),
      rulesDir: pathOf(new URL('rules/', packageRoot)),
      configPath: pathOf(new URL('trailwarden.example.yaml', packageRoot)),
      log,
      metrics,
      waitTimeSeconds: 1,
      listen: { host: '127.0.0.1', port: 0 },
    })
    const files = (await readdir(examplesDir)).filter((f) => f.endsWith('.json')).sort()
    io.stdout.write(
      `trailwarden demo — embedded SQS ${sqs.endpoint}, queue trailwarden-demo with a dead-letter queue, the ${files.length} sample events of examples/events/,\n`
      + `the bundled rules with trailwarden.example.yaml, alerts below (set SLACK_BOT_TOKEN and use \`trailwarden run\` for Slack).\n`
      + (daemon.url ? `health ${daemon.url}/healthz · readiness ${daemon.url}/readyz · metrics ${daemon.url}/metrics\n` : '')
      + '\n',
    )
    const client = sqs.client()
    for (const file of files) {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: await readFile(new URL(file, examplesDir), 'utf8') }))
    }
    const deadline = Date.now() + 30_000
    while (daemon.processed() < files.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    const [received, acknowledged, unreadable, matches] = await Promise.all(
      ['trailwarden_messages_received_total', 'trailwarden_messages_acknowledged_total', 'trailwarden_messages_unreadable_total', 'trailwarden_rule_matches_total'].map((n) => counter(metrics, n)),
    )
    io.stdout.write(
      `\n${received} messages received: ${acknowledged} acknowledged after their alerts were delivered, ${unreadable} unreadable (logged and left for the dead-letter queue); ${matches} rule matches.\n`,
    )
    if (values.follow) {
      io.stdout.write('following: send more messages to the queue; Ctrl-C stops\n')
      await new Promise<void>((resolve) => process.once('SIGINT', () => { resolve() }))
    }
    await daemon.stop(5_000)
    await sqs.stop()
    return received === files.length ? 0 : 1
  },
}
