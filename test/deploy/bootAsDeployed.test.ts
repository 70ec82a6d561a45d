import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { until } from '../support/daemonHarness.js'
import { type BootedTask, bootAsDeployed, ready, ROOT } from './bootTask.js'

// Issue 18: the documented deployment produced a task that refused to start (no TRAILWARDEN_CONFIG, lists only in
// the example config, no default channel). This boots the task exactly as the synthesized template describes it —
// and, with BOOT_APP_DIR, as `npm run check:container` lays out the runtime stage (a real `npm ci --omit=dev`).
const EVENT = readFileSync(join(ROOT, 'examples/events/WRAPPED__envelope__BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json'), 'utf8')

describe('the task as the template deploys it', () => {
  let booted: BootedTask | undefined
  const task = new Proxy({} as BootedTask, { get: (_t, key) => (booted as unknown as Record<string | symbol, unknown>)[key] })
  beforeAll(async () => {
    booted = await bootAsDeployed({ appDir: process.env.BOOT_APP_DIR || undefined })
  }, 60_000)
  afterAll(async () => {
    await booted?.stop()
  })

  it('runs the image\'s entry point as the template\'s non-root user, read-only, with no TRAILWARDEN_CONFIG', () => {
    expect(task.container.ReadonlyRootFilesystem).toBe(true)
    expect(task.process.user).toBe('1000:1000')
    if (process.getuid?.() === 0) expect([task.process.uid, task.process.gid]).toEqual([1000, 1000])
    expect(task.process.argv.slice(1)).toEqual(['--optimize-for-size', 'dist/cli.js', 'run'])
    expect(task.process.env.TRAILWARDEN_CONFIG).toBeUndefined()
    expect(task.process.env.TRAILWARDEN_SLACK_DEFAULT_CHANNEL).toBe('#alerts')
    expect(Object.keys(task.process.env).filter((k) => k.startsWith('SLACK_'))).toEqual(['SLACK_BOT_TOKEN', 'SLACK_API_URL'])
  })

  it('delivers one alert to the default channel for one event, and deletes the message', async () => {
    // Sent at once: the first long poll of an empty queue waits 20 s before SQS readiness can turn true.
    await task.send(EVENT)
    await until(() => task.slack.messages.length >= 1, 30_000, 'the alert in Slack')
    await until(async () => (await task.queued()) === 0, 30_000, 'the message deleted')
    expect(task.slack.messages).toHaveLength(1)
    expect(task.slack.messages[0]!.channel).toBe('C0ALERTS')
    expect(JSON.stringify(task.slack.messages[0]!.blocks)).toContain('ECS Exec')
    expect(task.logs()).not.toContain('xoxb-123456789012')
  }, 60_000)

  it('answers /readyz 200 with the bundled rules, Slack, the queue and the bus rule all ready', async () => {
    await ready(task)
    const body = await fetch(`${task.url}/readyz`).then((r) => r.json()) as { checks?: Record<string, unknown> }
    expect(JSON.stringify(body)).not.toMatch(/drift/i)
    expect(await task.healthCheck()).toBe(0)
    expect(task.eventBridge.calls.map((c) => c.operation)).toContain('DescribeRule')
  }, 60_000)

  it('stops with exit 0 on SIGTERM', async () => {
    expect(await task.stop()).toBe(0)
  }, 60_000)
})

// The image examples/rules-repo builds FROM trailwarden's (its rules next to the bundled pack, its trailwarden.yaml),
// run by the same task definition: the path from a team's git repository to the running task. (check:container runs
// only the describe above, against its runtime stage.)
describe.skipIf(Boolean(process.env.BOOT_APP_DIR))('the team image of examples/rules-repo, as the template deploys it', () => {
  let booted: BootedTask | undefined
  const task = new Proxy({} as BootedTask, { get: (_t, key) => (booted as unknown as Record<string | symbol, unknown>)[key] })
  beforeAll(async () => {
    booted = await bootAsDeployed({
      layers: [{ dockerfile: join(ROOT, 'Dockerfile'), context: ROOT }, { dockerfile: join(ROOT, 'examples/rules-repo/Dockerfile'), context: join(ROOT, 'examples/rules-repo') }],
    })
  }, 60_000)
  afterAll(async () => {
    await booted?.stop()
  })

  it('loads the bundled and the team\'s rules with the team\'s config, is ready, and routes the alert as that config says', async () => {
    expect(task.process.env.TRAILWARDEN_CONFIG).toMatch(/\/trailwarden\.yaml$/)
    await task.send(EVENT)
    await until(() => task.slack.messages.length >= 1, 30_000, 'the alert in Slack')
    await until(async () => (await task.queued()) === 0, 30_000, 'the message deleted')
    await ready(task)
    expect(task.logs()).toMatch(/"rules":30,/)
    // The team's config routes prod to #prod-changes; the event is in prod-web of account 111122223333.
    expect(task.slack.messages.map((m) => m.channel)).toEqual(['C0PRODCH'])
    expect(await task.stop()).toBe(0)
  }, 90_000)
})
