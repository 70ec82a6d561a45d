import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { CommandIO } from '../../src/commands/io.js'
import { main } from '../../src/commands/main.js'
import { runCli } from '../support/captureIO.js'
import { asLookupEvent, type CloudTrailDouble, mostCallsInOneSecond, startCloudTrailDouble } from '../support/cloudTrailDouble.js'
import { generatedRecords, webServiceSequence } from '../support/eventHistoryData.js'
import { type SlackDouble, startSlackDouble } from '../support/slackDouble.js'

let double: CloudTrailDouble
let slack: SlackDouble
let env: NodeJS.ProcessEnv
beforeAll(async () => {
  double = await startCloudTrailDouble()
  slack = await startSlackDouble()
})
afterAll(async () => {
  await double.close()
  await slack.close()
})
beforeEach(() => {
  double.reset()
  env = { TRAILWARDEN_CONFIG: 'trailwarden.example.yaml', AWS_ENDPOINT_URL_CLOUDTRAIL: double.url, AWS_ACCESS_KEY_ID: 'AKIDLOCAL', AWS_SECRET_ACCESS_KEY: 'local' }
})

const WINDOW = ['--since', '2026-11-01T00:00:00Z', '--until', '2026-11-30T00:00:00Z']
const START = Date.UTC(2026, 10, 2, 8, 0, 0)
type Alert = { ruleId: string, eventKey: string, eventTime: string, region: string, eventId: string }
const alertsOf = (stdout: string): Alert[] => stdout.trim().split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as Alert)

describe('trailwarden audit --engine event-history', () => {
  it('reads every page through NextToken, 50 events a call, at no more than 2 calls in any second of a region', async () => {
    double.setRecords('eu-west-1', generatedRecords(120, 'eu-west-1', START))
    const { code, stdout, stderr } = await runCli(['audit', '--region', 'eu-west-1', ...WINDOW, '--format', 'ndjson'], env)
    expect(code, stderr).toBe(0)
    const calls = double.calls.filter((c) => c.region === 'eu-west-1')
    expect(calls.map((c) => c.answer)).toEqual(['page', 'page', 'page'])
    expect(calls.map((c) => c.body.MaxResults)).toEqual([50, 50, 50])
    expect(calls[0]!.body.NextToken).toBeUndefined()
    expect(calls[1]!.body.NextToken).toEqual(expect.any(String))
    expect(calls[0]!.body.LookupAttributes).toEqual([{ AttributeKey: 'EventSource', AttributeValue: 'ecs.amazonaws.com' }])
    expect(calls[0]!.body.StartTime).toBe(Date.UTC(2026, 10, 1) / 1000)
    expect(calls[0]!.body.EndTime).toBe(Date.UTC(2026, 10, 30) / 1000)
    expect(mostCallsInOneSecond(double.calls, 'eu-west-1')).toBeLessThanOrEqual(2)
    expect(stderr).toContain('120 records read from Event history: 120 events in 3 pages from 1 region (eu-west-1)')
    expect(alertsOf(stdout).length).toBeGreaterThan(0)
  })

  it('waits out ThrottlingException with backoff, retries under the same limit, and still reads everything', async () => {
    double.setRecords('eu-west-1', generatedRecords(60, 'eu-west-1', START))
    double.throttle('eu-west-1', 2)
    const { code, stderr } = await runCli(['audit', '--region', 'eu-west-1', ...WINDOW, '--format', 'ndjson'], env)
    expect(code, stderr).toBe(0)
    expect(double.calls.map((c) => c.answer)).toEqual(['ThrottlingException', 'ThrottlingException', 'page', 'page'])
    expect(mostCallsInOneSecond(double.calls, 'eu-west-1')).toBeLessThanOrEqual(2)
    expect(stderr).toContain('60 records read from Event history: 60 events in 2 pages')
    expect(stderr).toContain('2 calls retried after throttling')
  })

  it('merges the regions in time order, oldest first, each region at its own rate', async () => {
    // The two regions' events interleave: eu-west-1 on the even minutes, us-east-1 on the odd ones.
    double.setRecords('eu-west-1', generatedRecords(70, 'eu-west-1', START, 120_000))
    double.setRecords('us-east-1', generatedRecords(70, 'us-east-1', START + 60_000, 120_000))
    const { code, stdout, stderr } = await runCli(['audit', '--region', 'eu-west-1,us-east-1', ...WINDOW, '--format', 'ndjson'], env)
    expect(code, stderr).toBe(0)
    const alerts = alertsOf(stdout)
    const times = alerts.map((a) => Date.parse(a.eventTime))
    expect(times).toEqual([...times].sort((a, b) => a - b))
    expect(new Set(alerts.map((a) => a.region))).toEqual(new Set(['eu-west-1', 'us-east-1']))
    expect(alerts.slice(0, 12).map((a) => a.region)).toContain('us-east-1')
    for (const region of ['eu-west-1', 'us-east-1']) expect(mostCallsInOneSecond(double.calls, region)).toBeLessThanOrEqual(2)
    expect(stderr).toContain('140 events in 4 pages from 2 regions (eu-west-1, us-east-1)')
  })

  it('--region all asks each of the 17 regions every account has enabled, once each when they are empty', async () => {
    double.setRecords('ap-southeast-2', generatedRecords(3, 'ap-southeast-2', START))
    const { code, stderr } = await runCli(['audit', '--region', 'all', ...WINDOW, '--format', 'ndjson'], env)
    expect(code, stderr).toBe(0)
    expect(new Set(double.calls.map((c) => c.region)).size).toBe(17)
    // One page each; a call the SDK or the spacing retried on a loaded machine may add a call, never a page.
    expect(double.calls.length).toBeGreaterThanOrEqual(17)
    expect(stderr).toContain('3 records read from Event history: 3 events in 17 pages from 17 regions (us-east-1, us-east-2, us-west-1,')
  })

  it('finds the same matches as replay over the same events written as archive files', async () => {
    const records = generatedRecords(80, 'eu-west-1', START)
    double.setRecords('eu-west-1', records)
    const dir = mkdtempSync(join(tmpdir(), 'trailwarden-audit-same-'))
    // CloudTrail's S3 layout: log files of a few records each, gzipped.
    for (let i = 0; i < records.length; i += 10) {
      writeFileSync(join(dir, `111122223333_CloudTrail_eu-west-1_20261102T08${String(i).padStart(2, '0')}Z_${i}.json.gz`), gzipSync(JSON.stringify({ Records: records.slice(i, i + 10) })))
    }
    const audit = await runCli(['audit', '--region', 'eu-west-1', ...WINDOW, '--format', 'json'], env)
    const replay = await runCli(['replay', dir, ...WINDOW, '--format', 'json'], env)
    expect(audit.code, audit.stderr).toBe(0)
    expect(replay.code, replay.stderr).toBe(0)
    type Doc = { alerts: Alert[], summary: { records: number, matches: Record<string, number>, suppressions: unknown, shadowed: unknown } }
    const a = JSON.parse(audit.stdout) as Doc
    const r = JSON.parse(replay.stdout) as Doc
    const key = (x: Alert) => `${x.ruleId} ${x.eventKey}`
    expect(a.alerts.length).toBeGreaterThan(10)
    expect(a.alerts.map(key).sort()).toEqual(r.alerts.map(key).sort())
    expect(a.summary.matches).toEqual(r.summary.matches)
    expect(a.summary.suppressions).toEqual(r.summary.suppressions)
    expect(a.summary.shadowed).toEqual(r.summary.shadowed)
    expect(a.summary.records).toBe(r.summary.records)
  })

  it('counts and names an event whose CloudTrailEvent is not JSON, and reads the others (exit 1)', async () => {
    double.setRecords('eu-west-1', generatedRecords(5, 'eu-west-1', START))
    const good = asLookupEvent(generatedRecords(1, 'eu-west-1', START + 3_600_000)[0]!)
    double.addRaw('eu-west-1', [{ ...good, EventId: 'broken-0001', CloudTrailEvent: '{"eventVersion":"1.08","eventSource":"ecs.amazonaws.com","eventName":' }])
    const { code, stdout, stderr } = await runCli(['audit', '--region', 'eu-west-1', ...WINDOW, '--format', 'ndjson'], env)
    expect(code).toBe(1)
    expect(stderr).toContain('unreadable event broken-0001: CloudTrailEvent: body is not JSON')
    expect(stderr).toContain('rejected: not-json 1')
    expect(stderr).toContain('5 records read from Event history: 6 events in 1 page')
    expect(alertsOf(stdout).length).toBeGreaterThan(0)
  })

  it('AccessDenied exits 2 naming cloudtrail:LookupEvents', async () => {
    double.mode('access-denied')
    const { code, stdout, stderr } = await runCli(['audit', '--region', 'eu-west-1', ...WINDOW], env)
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toContain('access denied in eu-west-1')
    expect(stderr).toContain('the identity needs the IAM action cloudtrail:LookupEvents')
    expect(double.calls).toHaveLength(1)
  })

  it('an expired token exits 2 saying what to set', async () => {
    double.mode('expired-token')
    const { code, stderr } = await runCli(['audit', '--region', 'eu-west-1,us-east-1', ...WINDOW], { ...env, AWS_SESSION_TOKEN: 'expired' })
    expect(code).toBe(2)
    expect(stderr).toContain('AWS credentials are missing, expired or not recognised (ExpiredTokenException: The security token included in the request is expired)')
    expect(stderr).toContain('set AWS_PROFILE')
    expect(stderr).toContain('AWS_SESSION_TOKEN')
    // One message, not one per region.
    expect(stderr.match(/AWS credentials are missing/g)).toHaveLength(1)
  })

  it('an error mid-way prints what was read and a clear INCOMPLETE line (exit 2)', async () => {
    double.setRecords('eu-west-1', generatedRecords(120, 'eu-west-1', START))
    double.failFrom('eu-west-1', 2, 'InvalidNextTokenException', 'Invalid NextToken')
    const { code, stdout, stderr } = await runCli(['audit', '--region', 'eu-west-1', ...WINDOW, '--format', 'ndjson'], env)
    expect(code).toBe(2)
    expect(alertsOf(stdout).length).toBeGreaterThan(0)
    expect(stderr).toMatch(/INCOMPLETE: eu-west-1 stopped after 1 page \(50 events\): events from 2026-11-01T00:00:00.000Z to 2026-11-02T\d\d:\d\d:00.000Z were not read — LookupEvents failed in eu-west-1 after 1 attempt \(InvalidNextTokenException: Invalid NextToken\)/)
  })

  it('markdown and csv carry the alerts (each cell escaped: test/core/report)', async () => {
    double.setRecords('eu-west-1', generatedRecords(20, 'eu-west-1', START))
    const md = await runCli(['audit', '--region', 'eu-west-1', ...WINDOW, '--format', 'markdown'], env)
    expect(md.code, md.stderr).toBe(0)
    expect(md.stdout).toContain('## trailwarden audit: Event history')
    expect(md.stdout).toContain('| rule | alerts | top actors |')
    expect(md.stdout).toContain('| time | rule | severity | call | actor | cluster/service | account | region | source IP |')
    const csv = await runCli(['audit', '--region', 'eu-west-1', ...WINDOW, '--format', 'csv'], env)
    const lines = csv.stdout.split('\r\n').filter((l) => l.length > 0)
    expect(lines[0]).toBe('time,rule,severity,call,actor,cluster/service,account,region,source IP,event id,title,channels')
    expect(lines.length - 1).toBe((JSON.parse((await runCli(['audit', '--region', 'eu-west-1', ...WINDOW, '--format', 'json'], env)).stdout) as { alerts: unknown[] }).alerts.length)
  })

  it('--slack needs --confirm-slack; a missing folder for duckdb, event-history with paths, a bad region or time is a usage error', async () => {
    expect((await runCli(['audit', '--region', 'eu-west-1', '--slack'], env)).stderr).toContain('add --confirm-slack')
    const duck = await runCli(['audit', 'some/folder'], env)
    expect(duck.code).toBe(2)
    expect(duck.stderr).toContain('cannot read some/folder: ENOENT')
    expect((await runCli(['audit', '--engine', 'event-history', 'some/folder'], env)).code).toBe(2)
    expect((await runCli(['audit', '--region', 'Europe'], env)).stderr).toContain('--region Europe: not a region name')
    expect((await runCli(['audit', '--region', 'eu-west-1', '--since', 'last week'], env)).stderr).toContain('--since last week: not a time')
    expect((await runCli(['audit', ...WINDOW], { ...env, AWS_REGION: undefined })).stderr).toContain('no region')
    expect(double.calls).toHaveLength(0)
  })

  it('--slack --confirm-slack posts every alert found, to its channels, through the real Slack client', async () => {
    double.setRecords('eu-west-1', webServiceSequence())
    slack.reset()
    const slackEnv = { ...env, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: slack.url }
    // One rule, two alerts: the sink posts at most one message a second per channel.
    const rule = ['--rule', 'ecs-service-deleted-in-prod']
    const found = JSON.parse((await runCli(['audit', '--region', 'eu-west-1', ...WINDOW, ...rule, '--format', 'json'], slackEnv)).stdout) as { alerts: Alert[] }
    expect(found.alerts).toHaveLength(2)
    expect(slack.messages).toHaveLength(0)
    const { code, stderr } = await runCli(['audit', '--region', 'eu-west-1', ...WINDOW, ...rule, '--format', 'ndjson', '--slack', '--confirm-slack'], slackEnv)
    expect(code, `${stderr}\n${JSON.stringify(slack.calls.slice(0, 3))}`).toBe(0)
    expect(stderr).toContain(`posting ${found.alerts.length} historical alerts to the live Slack channels`)
    const posted = JSON.stringify(slack.messages)
    for (const a of found.alerts) expect(posted).toContain(a.eventId)
  })

  it('draws a progress line (events, pages, rate, ETA) only on a terminal', async () => {
    double.setRecords('eu-west-1', generatedRecords(60, 'eu-west-1', START))
    const err: string[] = []
    const stderr = Object.assign(new PassThrough(), { isTTY: true })
    stderr.on('data', (c: Buffer) => err.push(c.toString()))
    const stdout = new PassThrough()
    stdout.resume()
    const io: CommandIO = { stdin: new PassThrough(), stdout, stderr, env, cwd: process.cwd() }
    expect(await main(['audit', '--region', 'eu-west-1', ...WINDOW, '--format', 'ndjson'], io)).toBe(0)
    expect(err.join('')).toMatch(/\r\x1b\[2K50 events · 1 pages · [\d.]+ events\/s · \d+% of the window · ETA /)
  })
})
