import { mkdtempSync, cpSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { WebClient } from '@slack/web-api'
import { createLogger } from '../../src/commands/clients.js'
import { type Daemon, type DaemonDeps, startDaemon } from '../../src/daemon/startDaemon.js'
import type { EmbeddedSqs } from '../../src/local/embeddedSqs.js'
import { createMetrics, type Metrics } from '../../src/metrics/createMetrics.js'
import { createSlackSink, type SlackSinkOptions } from '../../src/sinks/slack/createSlackSink.js'
import type { SlackDouble } from './slackDouble.js'

/**
 * The environment of a daemon started as a child process (`node dist/cli.js run`): only PATH from this process,
 * local credentials and region, loopback on a free port, no SDK version warning; then the test's own variables
 * (the queue, Slack double, rules…). Nothing inherited can point the child at real AWS or Slack.
 */
export function daemonEnv(env: Record<string, string>): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', PORT: '0', HOST: '127.0.0.1', ...env,
  }
}

export interface Harness {
  daemon: Daemon
  metrics: Metrics
  /** What /readyz would answer now. */
  ready: () => boolean
  logs: () => Array<Record<string, unknown>>
}

/**
 * The example config, paced for tests: the config's slack.perChannelPerSecond reaches the sink at start and on
 * reload, and Slack's real pace (one post a second per channel) would make every integration test slow.
 */
export function testConfig(dir = mkdtempSync(join(tmpdir(), 'trailwarden-config-'))): string {
  const path = join(dir, 'trailwarden.yaml')
  writeFileSync(path, readFileSync('trailwarden.example.yaml', 'utf8').replace('  fallbackChannel: "#alerts"\n', '  fallbackChannel: "#alerts"\n  perChannelPerSecond: 200\n'))
  return path
}

/** A copy of the bundled rules and the (test-paced) example config in a temporary folder (tests may break them). */
export function copyRules(): { rulesDir: string, configPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'trailwarden-rules-'))
  cpSync('rules', join(dir, 'rules'), { recursive: true })
  return { rulesDir: join(dir, 'rules'), configPath: testConfig(dir) }
}

/** The daemon in-process against the emulator and the Slack double, with its JSON logs captured. */
export async function startHarness(
  sqs: EmbeddedSqs,
  slack: SlackDouble,
  queueUrl: string,
  overrides: Partial<DaemonDeps> & { sinkOptions?: Partial<SlackSinkOptions>, slackToken?: string, slackTimeoutMs?: number } = {},
): Promise<Harness> {
  const lines: string[] = []
  const stream = new PassThrough()
  stream.on('data', (c: Buffer) => lines.push(...c.toString().split('\n').filter(Boolean)))
  const log = createLogger('debug', stream)
  const metrics = createMetrics()
  const { sinkOptions, slackToken, slackTimeoutMs, ...deps } = overrides
  const client = new WebClient(slackToken ?? 'xoxb-test-token', { slackApiUrl: slack.url, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, timeout: slackTimeoutMs ?? 2_000 })
  const daemon = await startDaemon({
    sqs: sqs.client(),
    queueUrl,
    sink: createSlackSink({ client, channelIntervalMs: 10, breakerMs: 200, fallbackChannel: '#fallback', ...sinkOptions }),
    slackConfigured: true,
    rulesDir: 'rules',
    configPath: testConfig(),
    log,
    metrics,
    waitTimeSeconds: 1,
    poisonVisibilitySeconds: 1,
    heartbeatIntervalMs: 500,
    retryBaseSeconds: 1,
    ...deps,
  })
  return { daemon, metrics, ready: () => daemon.readiness().ready, logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) }
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

export async function counterValue(metrics: Metrics, name: string, labels: Record<string, string> = {}): Promise<number> {
  const m = (await metrics.registry.getMetricsAsJSON()).find((x) => x.name === name)
  return (m?.values ?? []).filter((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val)).reduce((s, v) => s + v.value, 0)
}
