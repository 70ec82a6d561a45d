import { type ChildProcess, spawn } from 'node:child_process'
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyRules, daemonEnv, until } from '../../support/daemonHarness.js'
import { type SlackDouble, startSlackDouble } from '../../support/slackDouble.js'
import { useSqsEmulator } from '../../support/sqsEmulator.js'
import { sendLoad, unpaced } from '../faultLoad.js'

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
    unpaced(configPath)
    const client = sqs().client()
    await sendLoad(client, queueUrl, EVENTS, 'kill')
    const daemon = (): ChildProcess =>
      spawn(process.execPath, ['dist/cli.js', 'run'], {
        env: daemonEnv({
          TRAILWARDEN_QUEUE_URL: queueUrl, AWS_ENDPOINT_URL_SQS: sqs().endpoint, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: slack.url,
          TRAILWARDEN_RULES: rulesDir, TRAILWARDEN_CONFIG: configPath, TRAILWARDEN_POLLERS: '4', LOG_LEVEL: 'warn',
        }),
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
