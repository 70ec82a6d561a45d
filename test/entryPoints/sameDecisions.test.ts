import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { SendMessageCommand } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../src/commands/clients.js'
import { ruleIdsOf } from '../../src/core/alerts/findings.js'
import { createChangeTracker } from '../../src/core/change/createChangeTracker.js'
import { decide, type Decision } from '../../src/core/decide/decide.js'
import { groupAlerts } from '../../src/core/decide/groupAlerts.js'
import { parseBody } from '../../src/core/intake/parseBody.js'
import { readEvents } from '../../src/core/intake/readEvents.js'
import type { ActiveSet } from '../../src/daemon/activeSet.js'
import { loadActiveSet } from '../../src/daemon/loadActiveSet.js'
import { startDaemon } from '../../src/daemon/startDaemon.js'
import { createMetrics } from '../../src/metrics/createMetrics.js'
import type { AlertSink } from '../../src/sinks/alertSink.js'
import { runCli } from '../support/captureIO.js'
import { copyRules, until } from '../support/daemonHarness.js'
import { fixturePaths, fixtureText } from '../support/fixtures.js'
import { type SlackDouble, startSlackDouble } from '../support/slackDouble.js'
import { useSqsEmulator } from '../support/sqsEmulator.js'

/**
 * The same events through every entry point — the decision step itself, the daemon (SQS → processor → sink),
 * `replay` (stdout and --slack) and `backtest` — must give the same alerts. One rule of the pack is turned into a
 * shadow rule: it matches some of these events, and no entry point may notify it (replay --slack did, issue 17).
 */
const SHADOW = 'ecs-console-change-in-prod'
const sqs = useSqsEmulator()
let slack: SlackDouble
let rulesDir: string
let configPath: string
let archive: string
let active: ActiveSet
let bodies: string[]
let reference: Decision

const keys = (pairs: Iterable<[string, string, string?]>) => [...new Set([...pairs].map((p) => p.join('|')))].sort()

beforeAll(async () => {
  slack = await startSlackDouble()
  ;({ rulesDir, configPath } = copyRules())
  const shadowFile = join(rulesDir, 'ecs', `${SHADOW}.yaml`)
  writeFileSync(shadowFile, readFileSync(shadowFile, 'utf8').replace('severity: high\n', 'severity: high\nmode: shadow\n'))
  // Slack pacing off for the replay --slack run (the pack's events would otherwise take a second each).
  writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('  perChannelPerSecond: 200\n', '  perChannelPerSecond: 1000\n  stormThreshold: 1000\n'))
  bodies = fixturePaths('rules/ecs/fixtures').map(fixtureText)
  const outcome = await loadActiveSet({ rulesDir, configPath }, { slack: false })
  if (!outcome.ok) throw new Error(outcome.problems.join('\n'))
  active = outcome.active
  // The change context is derived in event order from earlier events (issue 20): the reference does the same.
  const changes = createChangeTracker()
  const events = bodies.flatMap((b) => readEvents(b, active.settings).events)
  for (const e of events) changes.apply(e)
  reference = decide(events, active.decision, { now: Date.now() })
  const dir = mkdtempSync(join(tmpdir(), 'trailwarden-same-'))
  archive = join(dir, '111122223333_CloudTrail_eu-west-1_20261102T1000Z_same.json')
  writeFileSync(archive, JSON.stringify({ Records: bodies.flatMap((b) => parseBody(b).records.map((r) => r.record)) }))
})
afterAll(() => slack.close())

describe('every entry point decides the same', () => {
  it('the reference decision has alerts, and the shadow rule matched without alerting', () => {
    expect(reference.alerts.length).toBeGreaterThan(10)
    expect(reference.shadowed.map((s) => s.rule.id)).toContain(SHADOW)
    expect(reference.alerts.map((a) => a.alert.ruleId)).not.toContain(SHADOW)
  })

  it('the daemon delivers exactly the reference alerts to exactly their channels', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('same-decisions')
    const delivered: Array<[string, string, string]> = []
    const messages: string[] = []
    const sink: AlertSink = {
      name: 'recording',
      deliver: (alert, target) => {
        // A grouped alert (one message per API call per channel) carries every finding: each counts as its rule's.
        if (!alert.ruleId.startsWith('trailwarden-')) {
          messages.push(`${alert.eventKey}|${target.channel}`)
          for (const ruleId of ruleIdsOf(alert)) delivered.push([alert.eventKey, ruleId, target.channel])
        }
        return Promise.resolve({ status: 'posted', channel: target.channel })
      },
      close: () => Promise.resolve(),
    }
    const daemon = await startDaemon({
      sqs: sqs().client(), queueUrl, sink, rulesDir, configPath, log: createLogger('silent', new PassThrough()), metrics: createMetrics(), waitTimeSeconds: 1,
    })
    // One at a time: a change compares with the events before it, so the order must be the reference's.
    for (const [i, body] of bodies.entries()) {
      await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }))
      await until(() => daemon.processed() >= i + 1, 15_000, `message ${i + 1} processed`)
    }
    await daemon.stop(1_000)
    const expected = reference.alerts.flatMap((a) => a.targets.map((t): [string, string, string] => [a.alert.eventKey, a.alert.ruleId, t.channel]))
    expect(keys(delivered)).toEqual(keys(expected))
    // One delivery per (event, channel), as groupAlerts makes them.
    expect(messages.sort()).toEqual(groupAlerts(reference.alerts).map((g) => `${g.alert.eventKey}|${g.target.channel}`).sort())
  })

  it('replay prints exactly the reference alerts', async () => {
    const { code, stdout } = await runCli(['replay', archive, '--format', 'ndjson', '--rules', rulesDir, '--config', configPath])
    expect(code).toBe(0)
    const printed = stdout.trim().split('\n').map((l) => JSON.parse(l) as { eventKey: string, ruleId: string })
    expect(keys(printed.map((a) => [a.eventKey, a.ruleId]))).toEqual(keys(reference.alerts.map((a) => [a.alert.eventKey, a.alert.ruleId])))
  })

  it('replay --slack posts the reference alerts and nothing of the shadow rule', async () => {
    slack.reset()
    const { code } = await runCli(['replay', archive, '--slack', '--rules', rulesDir, '--config', configPath], { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: slack.url })
    expect(code).toBe(0)
    const posted = slack.messages.map((m) => JSON.stringify(m))
    expect(posted.some((m) => m.includes(SHADOW))).toBe(false)
    // One message per API call per channel, each naming every rule of its group.
    const groups = groupAlerts(reference.alerts)
    expect(slack.messages).toHaveLength(groups.length)
    for (const g of groups) for (const id of g.ruleIds) expect(posted.some((m) => m.includes(id)), id).toBe(true)
  })

  it('backtest against an empty rule set counts the reference alerts and shadow matches per rule', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'trailwarden-empty-rules-'))
    mkdirSync(join(empty, 'none'))
    const { stdout } = await runCli(['backtest', '--base', empty, '--head', rulesDir, archive, '--config', configPath])
    const counted: Record<string, number> = {}
    for (const m of stdout.matchAll(/^(\S+) \(new rule\): 0 → (\d+)/gm)) if (m[1] && m[2] !== '0') counted[m[1]] = Number(m[2])
    const expected: Record<string, number> = {}
    const perEvent = new Set([...reference.alerts.map((a) => `${a.event.context.eventKey}|${a.alert.ruleId}`), ...reference.shadowed.map((s) => `${s.event.context.eventKey}|${s.rule.id}`)])
    for (const k of perEvent) {
      const rule = k.split('|')[1]!
      expected[rule] = (expected[rule] ?? 0) + 1
    }
    expect(counted).toEqual(expected)
  })
})
