import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs'
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge'
import type { WebClient } from '@slack/web-api'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { durationMs } from '../core/rules/language/ruleSchema.js'
import { ConfigError, RuleSetError } from '../errors.js'
import type { Alert } from '../core/alerts/alert.js'
import { systemAlert } from '../core/alerts/systemAlert.js'
import type { Metrics } from '../metrics/createMetrics.js'
import { buildServer } from '../server/buildServer.js'
import type { AlertSink } from '../sinks/alertSink.js'
import { checkBusRule } from '../sources/checkBusRule.js'
import { createSqsSource } from '../sources/sqs/createSqsSource.js'
import type { ActiveRules } from './activeRules.js'
import { createMessageProcessor } from './createMessageProcessor.js'
import { loadActiveRules } from './loadActiveRules.js'
import { createPipelineHeartbeat } from './pipelineHeartbeat.js'
import type { Readiness } from './readiness.js'

export interface DaemonDeps {
  sqs: SQSClient
  queueUrl: string
  sink: AlertSink
  /** For auth.test at start (readiness). Absent when alerts go to stdout. */
  slack?: WebClient | undefined
  rulesDir: string
  configPath?: string | undefined
  log: Logger
  metrics: Metrics
  readiness: Readiness
  pollers?: number
  maxInFlight?: number
  waitTimeSeconds?: number
  poisonVisibilitySeconds?: number
  heartbeatIntervalMs?: number
  retryBaseSeconds?: number
  /** Also publish every alert here (EventBridge). */
  publisher?: AlertSink | undefined
  /** Check this bus rule's pattern against the rules at start and every hour (TRAILWARDEN_EVENTBRIDGE_RULE). */
  busRule?: { client: EventBridgeClient, bus: string, rule: string, intervalMs?: number } | undefined
  /** Where the HTTP server listens; undefined: not at all (tests use inject). */
  listen?: { host: string, port: number } | undefined
  now?: () => number
}

export interface Daemon {
  server: FastifyInstance
  /** The address the server listens on, when it does. */
  url?: string
  /** Messages the processor has finished (any outcome). */
  processed(): number
  /** SIGHUP: load, validate and test the rules; swap only when all pass. */
  reload(): Promise<boolean>
  /** SIGTERM: stop polling, finish work in hand within graceMs, release the rest, close. */
  stop(graceMs: number): Promise<{ finished: number, released: number }>
}

/**
 * Compose the daemon from clients the command layer built: rules (refusing to start on any problem), the SQS poll
 * loop, the pipeline, the HTTP server, the pipeline heartbeat.
 */
export async function startDaemon(deps: DaemonDeps): Promise<Daemon> {
  const { log, metrics, readiness, now = Date.now } = deps
  const location = { rulesDir: deps.rulesDir, configPath: deps.configPath }
  const first = await loadActiveRules({ ...location, now: now() })
  if (!first.ok) throw new RuleSetError(first.problems)
  for (const w of first.warnings) log.warn({ rules: deps.rulesDir }, w)
  let active: ActiveRules = first.active
  if (deps.slack && !active.config.slack.defaultChannel)
    throw new ConfigError(['SLACK_BOT_TOKEN is set but slack.defaultChannel is not: alerts that match no route would have nowhere to go (set it in trailwarden.yaml)'])
  const announce = (a: ActiveRules) => {
    metrics.rulesLoaded.set(a.ruleSet.rules.length)
    metrics.reloadTimestamp.set(now() / 1000)
    readiness.rulesLoaded = true
    readiness.rulesDetail = `${a.ruleSet.rules.length} rules, set ${a.ruleSet.hash}`
    log.info({ rules: a.ruleSet.rules.length, hash: a.ruleSet.hash, dir: deps.rulesDir, config: deps.configPath ?? null }, 'rules loaded')
  }
  announce(active)
  metrics.reloadSuccess.set(1)

  if (deps.slack) {
    readiness.slack = 'unknown'
    try {
      const auth = await deps.slack.auth.test()
      readiness.slack = 'ok'
      readiness.slackDetail = `auth.test ok (team ${auth.team ?? '?'}, bot ${auth.user ?? '?'})`
    } catch (err) {
      readiness.slack = 'failed'
      readiness.slackDetail = `auth.test failed: ${(err as { data?: { error?: string } }).data?.error ?? String(err)}`
      log.error({ detail: readiness.slackDetail }, 'Slack auth.test failed: alerts cannot be delivered; readiness is false')
    }
  }

  // The redrive policy decides when a message reaches the DLQ; knowing maxReceiveCount lets us say so in the log.
  let maxReceiveCount: number | undefined
  try {
    const attrs = await deps.sqs.send(new GetQueueAttributesCommand({ QueueUrl: deps.queueUrl, AttributeNames: ['RedrivePolicy', 'VisibilityTimeout'] }))
    const policy = attrs.Attributes?.RedrivePolicy
    if (policy) maxReceiveCount = Number((JSON.parse(policy) as { maxReceiveCount?: unknown }).maxReceiveCount) || undefined
    else log.warn({ queueUrl: deps.queueUrl }, 'the queue has no redrive policy: unreadable messages will never reach a dead-letter queue')
  } catch (err) {
    log.warn({ err: String(err) }, 'GetQueueAttributes failed; dead-letter accounting is off')
  }

  const defaultChannel = () => active.config.slack.defaultChannel ?? 'stdout'
  const heartbeatConfig = active.config.heartbeat
  const heartbeat = heartbeatConfig
    ? createPipelineHeartbeat({
        silentForMs: durationMs(heartbeatConfig.silentFor),
        now,
        notify: async (alert) => {
          await deps.sink.deliver(alert, { channel: active.config.heartbeat?.channel ?? defaultChannel() })
        },
        onSilentChange: (silent) => {
          metrics.pipelineSilent.set(silent ? 1 : 0)
          log.warn({ silent }, silent ? 'no CloudTrail event for heartbeat.silentFor' : 'CloudTrail events resumed')
        },
      })
    : undefined
  const heartbeatTimer = heartbeat ? setInterval(() => void heartbeat.check(), Math.min(60_000, durationMs(heartbeatConfig!.silentFor) / 4)) : undefined
  heartbeatTimer?.unref()

  let processed = 0
  const process = createMessageProcessor({
    rules: () => active,
    sink: deps.sink,
    publisher: deps.publisher,
    defaultChannel,
    metrics,
    log,
    now,
    maxReceiveCount,
    onEventSeen: (at) => heartbeat?.eventSeen(at),
    retryBaseSeconds: deps.retryBaseSeconds,
  })
  const source = createSqsSource({
    client: deps.sqs,
    queueUrl: deps.queueUrl,
    handler: async (m) => {
      try {
        return await process(m)
      } finally {
        processed += 1
      }
    },
    pollers: deps.pollers,
    maxInFlight: deps.maxInFlight,
    waitTimeSeconds: deps.waitTimeSeconds,
    poisonVisibilitySeconds: deps.poisonVisibilitySeconds,
    heartbeatIntervalMs: deps.heartbeatIntervalMs,
    log,
    now,
    onPoll: (ok, error) => {
      if (ok) {
        readiness.lastPollOk = now()
        readiness.lastPollError = undefined
      } else readiness.lastPollError = error
    },
  })

  const server = buildServer({
    readiness,
    registry: metrics.registry,
    loopAlive: () => source.alive(),
    now,
    onReadyChange: (r) => { metrics.ready.set(r ? 1 : 0) },
  })
  let url: string | undefined
  if (deps.listen) {
    url = await server.listen({ host: deps.listen.host, port: deps.listen.port })
    log.info({ url }, 'HTTP server listening (/healthz /readyz /metrics)')
  }
  source.start()
  log.info({ queueUrl: deps.queueUrl, sink: deps.sink.name }, 'polling')

  // The bus rule feeding the queue must let through what the rules need, or new rules silently never fire.
  let lastDrift = ''
  const checkDrift = async () => {
    if (!deps.busRule) return
    try {
      const { drift } = await checkBusRule(deps.busRule.client, deps.busRule, active.ruleSet)
      metrics.busRuleDrift.set(drift.problems.length)
      readiness.warnings = drift.problems.map((p) => `bus rule ${deps.busRule!.rule}: ${p}`)
      const signature = drift.problems.join('\n')
      if (drift.problems.length > 0) log.warn({ rule: deps.busRule.rule, problems: drift.problems }, 'the EventBridge rule filters out events the rules need (trailwarden pattern --check --apply fixes it)')
      if (drift.problems.length > 0 && signature !== lastDrift) {
        await deps.sink.deliver(driftAlert(deps.busRule.rule, drift.problems, now()), { channel: defaultChannel() }).catch((err: unknown) => {
          log.error({ err: String(err) }, 'could not deliver the drift alert')
        })
      }
      lastDrift = signature
    } catch (err) {
      readiness.warnings = [`bus rule ${deps.busRule.rule}: DescribeRule failed: ${err instanceof Error ? err.message : String(err)}`]
      log.warn({ err: String(err) }, 'bus rule drift check failed (does the task role allow events:DescribeRule?)')
    }
  }
  await checkDrift()
  const driftTimer = deps.busRule ? setInterval(() => void checkDrift(), deps.busRule.intervalMs ?? 3_600_000) : undefined
  driftTimer?.unref()

  let reloading: Promise<boolean> | undefined
  const daemon: Daemon = {
    server,
    processed: () => processed,
    reload() {
      reloading ??= (async () => {
        const next = await loadActiveRules({ ...location, now: now() })
        metrics.reloadTimestamp.set(now() / 1000)
        if (!next.ok) {
          metrics.reloadSuccess.set(0)
          for (const p of next.problems) log.error({ rules: deps.rulesDir }, p)
          log.error({ kept: active.ruleSet.hash, problems: next.problems.length }, 'reload refused: keeping the last good rule set')
          return false
        }
        active = next.active
        metrics.reloadSuccess.set(1)
        announce(active)
        void checkDrift()
        return true
      })().finally(() => {
        reloading = undefined
      })
      return reloading
    },
    async stop(graceMs) {
      clearInterval(heartbeatTimer)
      clearInterval(driftTimer)
      const result = await source.stop(graceMs)
      await deps.sink.close()
      await deps.publisher?.close()
      await server.close()
      log.info(result, 'stopped: work in hand finished, the rest released to the queue')
      return result
    },
  }
  if (url) daemon.url = url
  return daemon
}

/** The one alert a newly found drift raises. */
function driftAlert(rule: string, problems: string[], at: number): Alert {
  return systemAlert({
    ruleId: 'trailwarden-bus-rule-drift',
    title: `The EventBridge rule ${rule} filters out events the rules need`,
    severity: 'high',
    description: `Rules that need these events never fire:\n${problems.map((p) => `• ${p}`).join('\n')}`,
    runbook: 'Run `trailwarden pattern --check --rule RULE --apply` (or redeploy deploy/ after `npm run pattern:deploy`).',
    eventName: 'BusRuleDrift',
    at,
    details: [['bus rule', rule]],
    conditions: problems,
  })
}
