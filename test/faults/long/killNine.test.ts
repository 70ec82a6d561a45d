import { type ChildProcess, spawn } from 'node:child_process'
import { writeFileSync, readFileSync } from 'node:fs'
import { GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyRules, until } from '../../support/daemonHarness.js'
import { fixtureText } from '../../support/fixtures.js'
import { type SlackDouble, startSlackDouble } from '../../support/slackDouble.js'
import { useSqsEmulator } from '../../support/sqsEmulator.js'

const EVENTS = Number(process.env.KILL_EVENTS ?? 10_000)
const MATCHING = EVENTS / 10
const KILLS = Number(process.env.KILLS ?? 3)

const sqs = useSqsEmulator()
let slack: SlackDouble
beforeAll(async () => {
  slack = await startSlackDouble()
})
afterAll(() => slack.close())

describe(`kill -9 under load: ${EVENTS} events (${MATCHING} matching), ${KILLS} kills at random moments`, () => {
  it('alerts every matching event at least once, with few duplicates', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('kill-nine', { visibilityTimeoutSeconds: 3, maxReceiveCount: 1000 })
    const { rulesDir, configPath } = copyRules()
    // No digests and no per-channel pacing here: the test counts individual alerts, quickly.
    writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('  perChannelPerSecond: 200\n', '  perChannelPerSecond: 1000\n  stormThreshold: 1000000\n'))
    const exec = JSON.parse(fixtureText('rules/ecs/fixtures/BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json')) as Record<string, unknown>
    const quiet = JSON.parse(fixtureText('rules/ecs/fixtures/ecs__DescribeClusters__AssumedRole_readOnly__logicmonitor.json')) as Record<string, unknown>
    const client = sqs().client()
    for (let start = 0; start < EVENTS; start += 10) {
      const entries = Array.from({ length: 10 }, (_, i) => {
        const n = start + i
        const body = n % 10 === 0 ? { ...exec, eventID: `kill-${n}` } : { ...quiet, eventID: `quiet-${n}` }
        return { Id: String(i), MessageBody: JSON.stringify(body) }
      })
      await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }))
    }
    const daemon = (): ChildProcess =>
      spawn(process.execPath, ['dist/cli.js', 'run'], {
        env: {
          PATH: process.env.PATH, TRAILWARDEN_QUEUE_URL: queueUrl, AWS_ENDPOINT_URL_SQS: sqs().endpoint, AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: slack.url, TRAILWARDEN_RULES: rulesDir, TRAILWARDEN_CONFIG: configPath,
          TRAILWARDEN_POLLERS: '4', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn',
        },
        stdio: 'ignore',
      })
    const t0 = Date.now()
    for (let k = 0; k < KILLS; k++) {
      const child = daemon()
      await new Promise((r) => setTimeout(r, 1500 + Math.random() * 2500))
      child.kill('SIGKILL')
      await new Promise((r) => child.once('exit', r))
    }
    const last = daemon()
    const depth = async () => {
      const a = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))
      return Number(a.Attributes?.ApproximateNumberOfMessages) + Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible)
    }
    await until(async () => (await depth()) === 0, 240_000, 'the queue to drain')
    last.kill('SIGTERM')
    await new Promise((r) => last.once('exit', r))
    const seconds = (Date.now() - t0) / 1000

    const posts = new Map<string, number>()
    for (const m of slack.messages) {
      const id = /kill-\d+/.exec(JSON.stringify(m.blocks))?.[0]
      if (id) posts.set(id, (posts.get(id) ?? 0) + 1)
    }
    const total = [...posts.values()].reduce((a, b) => a + b, 0)
    const duplicates = total - posts.size
    const table = [
      '| events | matching | kills | alerted (distinct) | Slack posts | duplicates | duplicates / matching | duplicates / events | wall time |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      `| ${EVENTS} | ${MATCHING} | ${KILLS} | ${posts.size} | ${total} | ${duplicates} | ${((100 * duplicates) / MATCHING).toFixed(2)} % | ${((100 * duplicates) / EVENTS).toFixed(2)} % | ${seconds.toFixed(1)} s |`,
    ].join('\n')
    process.stdout.write(`\nkill -9 figures:\n${table}\n`)
    expect(posts.size).toBe(MATCHING)
    expect(duplicates / EVENTS).toBeLessThanOrEqual(0.005)
  }, 300_000)
})
