import { spawn } from 'node:child_process'
import { readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SendMessageCommand } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmbeddedSqs } from '../../src/local/embeddedSqs.js'
import { fixtureText } from '../support/fixtures.js'
import { copyRules, counterValue, daemonEnv, startHarness, until } from '../support/daemonHarness.js'
import { type SlackDouble, startSlackDouble } from '../support/slackDouble.js'
import { useSqsEmulator } from '../support/sqsEmulator.js'

const sqs = useSqsEmulator()
let slack: SlackDouble
beforeAll(async () => {
  slack = await startSlackDouble()
})
afterAll(() => slack.close())

const record = (n: number) => {
  const r = JSON.parse(fixtureText('rules/ecs/fixtures/BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json')) as Record<string, unknown>
  return JSON.stringify({ ...r, eventID: `lifecycle-${n}` })
}

describe('readiness follows SQS', () => {
  it('turns false when the emulator stops and true again after it restarts', async () => {
    const own = await startEmbeddedSqs()
    const port = Number(new URL(own.endpoint).port)
    const { queueUrl } = await own.createQueueWithDlq('readiness')
    const h = await startHarness(own, slack, queueUrl)
    await until(() => h.ready(), 5_000, 'ready')
    await own.stop()
    await until(() => !h.ready(), 10_000, 'not ready')
    const sqsCheck = h.daemon.readiness().checks.find((c) => c.name === 'sqs')!
    expect(sqsCheck.reason).toMatch(/^ReceiveMessage failed/)
    const again = await startEmbeddedSqs({ port })
    const { queueUrl: sameUrl } = await again.createQueueWithDlq('readiness')
    await until(() => h.ready(), 40_000, 'ready again')
    // The daemon consumes again by itself: what arrives after the restart is alerted.
    slack.reset()
    for (let n = 0; n < 5; n++) await again.client().send(new SendMessageCommand({ QueueUrl: sameUrl, MessageBody: record(100 + n) }))
    await until(() => slack.messages.length === 5, 15_000, 'the alerts after the restart')
    await h.daemon.stop(1_000)
    await again.stop()
  }, 60_000)
})

describe('graceful shutdown', () => {
  it('stops polling, finishes work in hand, releases what is unfinished: nothing lost', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('shutdown', { visibilityTimeoutSeconds: 30 })
    slack.reset()
    slack.setResponder(() => ({ kind: 'slow', delayMs: 400 }))
    const first = await startHarness(sqs(), slack, queueUrl, { sinkOptions: { channelIntervalMs: 1 } })
    for (let n = 0; n < 12; n++) await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: record(n) }))
    await until(() => slack.messages.length >= 2, 10_000, 'work under way')
    const stopped = await first.daemon.stop(600)
    const postedByFirst = slack.messages.length
    expect(stopped.released).toBeGreaterThan(0)
    slack.setResponder(undefined)
    // A new daemon (the next ECS task) finds the released messages at once, not after the visibility timeout.
    const second = await startHarness(sqs(), slack, queueUrl)
    // Up to the visibility timeout (30 s) for one case: a long poll aborted by stop() just as SQS answered it leaves
    // that answer's messages invisible until their timeout, since their receipts never arrived. Late, never lost.
    await until(() => new Set(slack.messages.map((m) => JSON.stringify(m.blocks).match(/lifecycle-\d+/)?.[0])).size === 12, 45_000, 'all 12 alerted')
    await second.daemon.stop(2_000)
    expect(postedByFirst).toBeLessThan(12)
    expect(await counterValue(second.metrics, 'trailwarden_messages_acknowledged_total')).toBeGreaterThan(0)
    // At most the alert in progress at the release is posted twice.
    expect(slack.messages.length).toBeLessThanOrEqual(13)
  }, 70_000)

  it('the real process: SIGHUP reloads (a broken rule is refused), SIGTERM exits 0 within the bound', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('process')
    const { rulesDir, configPath } = copyRules()
    const child = spawn(process.execPath, ['dist/cli.js', 'run'], {
      env: daemonEnv({
        TRAILWARDEN_QUEUE_URL: queueUrl, AWS_ENDPOINT_URL_SQS: sqs().endpoint, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: slack.url,
        TRAILWARDEN_RULES: rulesDir, TRAILWARDEN_CONFIG: configPath, TRAILWARDEN_SHUTDOWN_SECONDS: '5',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const out: string[] = []
    child.stdout.on('data', (c: Buffer) => out.push(c.toString()))
    child.stderr.on('data', (c: Buffer) => out.push(c.toString()))
    const logs = () => out.join('')
    await until(() => logs().includes('"msg":"polling"'), 15_000, 'the daemon to poll')
    writeFileSync(join(rulesDir, 'ecs', 'ecs-root-activity.yaml'), 'id: ecs-root-activity\nseverity: nope\n')
    child.kill('SIGHUP')
    await until(() => logs().includes('reload refused: keeping the last good rule set'), 10_000, 'the refused reload')
    const t0 = Date.now()
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => { resolve(code) }))
    child.kill('SIGTERM')
    expect(await exit).toBe(0)
    expect(Date.now() - t0).toBeLessThan(6_000)
    expect(logs()).toContain('stopped: work in hand finished, the rest released to the queue')
    expect(logs()).not.toContain('xoxb-test-token')
  }, 40_000)

  it('the real process with --watch: a rule replaced by rename, edited in place, a dangling link and the config replaced by rename; it never exits', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('watch')
    const { rulesDir, configPath } = copyRules()
    const child = spawn(process.execPath, ['dist/cli.js', 'run', '--watch'], {
      env: daemonEnv({
        TRAILWARDEN_QUEUE_URL: queueUrl, AWS_ENDPOINT_URL_SQS: sqs().endpoint, TRAILWARDEN_RULES: rulesDir, TRAILWARDEN_CONFIG: configPath,
        TRAILWARDEN_SHUTDOWN_SECONDS: '5',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const out: string[] = []
    child.stdout.on('data', (c: Buffer) => out.push(c.toString()))
    child.stderr.on('data', (c: Buffer) => out.push(c.toString()))
    const count = (msg: string) => out.join('').split(msg).length - 1
    let exited = false
    child.once('exit', () => { exited = true })
    await until(() => count('"msg":"watching the rules and the config for changes"') === 1, 15_000, 'the watcher to be ready')
    const rule = join(rulesDir, 'ecs', 'ecs-root-activity.yaml')
    const good = readFileSync(rule, 'utf8')
    // What an editor does: write a temporary file, rename it over the rule.
    writeFileSync(`${rule}.tmp`, 'id: ecs-root-activity\nseverity: nope\n')
    renameSync(`${rule}.tmp`, rule)
    await until(() => count('reload refused: keeping the last good rule set') === 1, 10_000, 'the refused reload after a rename')
    writeFileSync(rule, good)
    await until(() => count('"msg":"reload accepted') === 1, 10_000, 'the accepted reload after an in-place edit')
    // A git pull can leave a dangling link among the files it changes: refused, never the end of the process. (chokidar
    // reports no event for a dangling link alone; the pull's other changes trigger the reload.)
    symlinkSync(join(rulesDir, 'gone.yaml'), join(rulesDir, 'ecs', 'dangling.yaml'))
    writeFileSync(rule, `${good}\n`)
    await until(() => count('reload refused: keeping the last good rule set') === 2, 10_000, 'the refused reload of a dangling link')
    rmSync(join(rulesDir, 'ecs', 'dangling.yaml'))
    writeFileSync(rule, good)
    await until(() => count('"msg":"reload accepted') === 2, 10_000, 'accepted again')
    writeFileSync(`${configPath}.tmp`, readFileSync(configPath, 'utf8').replace('perChannelPerSecond: 200', 'perChannelPerSecond: 100'))
    renameSync(`${configPath}.tmp`, configPath)
    await until(() => count('"msg":"reload accepted"') >= 1 && out.join('').includes('"changed":["slack"]'), 10_000, 'the config replaced by rename, seen as a slack change')
    expect(exited).toBe(false)
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => { resolve(code) }))
    child.kill('SIGTERM')
    expect(await exit).toBe(0)
  }, 60_000)
})
