import { spawn } from 'node:child_process'
import { SendMessageCommand } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyRules, daemonEnv, until } from '../../../support/daemonHarness.js'
import { fixtureText } from '../../../support/fixtures.js'
import { type SlackDouble, startSlackDouble } from '../../../support/slackDouble.js'
import { type SocketModeDouble, startSocketModeDouble } from '../../../support/socketModeDouble.js'
import { useSqsEmulator } from '../../../support/sqsEmulator.js'

const APP_TOKEN = 'xapp-1-A0TRAILWRD-1-test'
const sqs = useSqsEmulator()
let slack: SlackDouble
let socket: SocketModeDouble
beforeAll(async () => {
  slack = await startSlackDouble({ validAppToken: APP_TOKEN })
  socket = await startSocketModeDouble()
  slack.setSocketUrl(socket.url)
})
afterAll(async () => {
  await socket.close()
  await slack.close()
})

describe('trailwarden run with SLACK_APP_TOKEN (the built process)', () => {
  it('connects over Socket Mode, posts alerts with buttons, stops on SIGTERM, and never logs the app token', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('actions-process')
    const { rulesDir, configPath } = copyRules()
    const child = spawn(process.execPath, ['dist/cli.js', 'run'], {
      env: daemonEnv({
        TRAILWARDEN_QUEUE_URL: queueUrl, AWS_ENDPOINT_URL_SQS: sqs().endpoint, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_APP_TOKEN: APP_TOKEN,
        SLACK_API_URL: slack.url, TRAILWARDEN_RULES: rulesDir, TRAILWARDEN_CONFIG: configPath, TRAILWARDEN_SHUTDOWN_SECONDS: '5', LOG_LEVEL: 'debug',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const out: string[] = []
    child.stdout.on('data', (c: Buffer) => out.push(c.toString()))
    child.stderr.on('data', (c: Buffer) => out.push(c.toString()))
    const logs = () => out.join('')
    await until(() => logs().includes('Socket Mode connected'), 20_000, 'the socket')
    expect(socket.open()).toBe(1)
    await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: fixtureText('rules/ecs/fixtures/BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json') }))
    await until(() => slack.messages.some((m) => JSON.stringify(m.blocks).includes('"action_id":"tw_silence"')), 15_000, 'an alert with buttons')
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => { resolve(code) }))
    child.kill('SIGTERM')
    expect(await exit).toBe(0)
    expect(logs()).not.toContain(APP_TOKEN)
    expect(logs()).not.toContain('A0TRAILWRD-1-test')
  }, 60_000)
})
