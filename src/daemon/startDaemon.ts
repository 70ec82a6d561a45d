import { randomUUID } from 'node:crypto'
import { pid } from 'node:process'
import type { SQSClient } from '@aws-sdk/client-sqs'
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { ConfigError } from '../errors.js'
import type { HasStatus } from '../health/componentStatus.js'
import { composeReadiness, type ReadinessReport } from '../health/composeReadiness.js'
import type { Metrics } from '../metrics/createMetrics.js'
import { buildServer } from '../server/buildServer.js'
import type { AlertSink } from '../sinks/alertSink.js'
import type { AlertActions } from '../sinks/slack/socket/createAlertActions.js'
import { MemoryStateStore } from '../state/memoryStateStore.js'
import type { StateStore } from '../state/stateStore.js'
import { createAnnounceOnce } from '../state/announceOnce.js'
import { createSqsSource } from '../sources/sqs/createSqsSource.js'
import type { ActiveSet } from './activeSet.js'
import { createActiveSetHolder } from './activeSetHolder.js'
import { createBusRuleWatch } from './busRuleWatch.js'
import { checkQueue } from './checkQueue.js'
import { createEventIdCollisions } from './eventIdCollisions.js'
import { createExceptionExpiryWatch } from './exceptionExpiryWatch.js'
import { createHeartbeatWatch } from './heartbeatWatch.js'
import { createMessageProcessor } from './createMessageProcessor.js'
import { createChangeEnricher } from '../sources/ecs/createChangeEnricher.js'
import type { EcsLookup } from '../sources/ecs/createEcsLookup.js'
import { loadActiveSet } from './loadActiveSet.js'

export interface DaemonDeps {
  sqs: SQSClient
  queueUrl: string
  sink: AlertSink
  /**
   * Shared state (#19): system notices once per window across replicas, and readiness names the table when it
   * fails. Default: this process's memory (the embedded default; one replica).
   */
  state?: StateStore
  /** Alerts go to Slack (SLACK_BOT_TOKEN set, no --dry-run): the config must then name a default channel. */
  slackConfigured?: boolean
  rulesDir: string
  configPath?: string | undefined
  /** TRAILWARDEN_SLACK_DEFAULT_CHANNEL: replaces the config's slack.defaultChannel. */
  defaultChannel?: string | undefined
  log: Logger
  metrics: Metrics
  pollers?: number
  maxInFlight?: number
  waitTimeSeconds?: number
  poisonVisibilitySeconds?: number
  heartbeatIntervalMs?: number
  retryBaseSeconds?: number
  /** Builds the EventBridge publisher for the config's `eventbridge:` settings (the command layer owns clients). */
  publisherFor?: (settings: NonNullable<ActiveSet['publisher']>) => AlertSink
  /** Check this bus rule's pattern against the rules at start, hourly and on reload (TRAILWARDEN_EVENTBRIDGE_RULE). */
  busRule?: { client: EventBridgeClient, bus: string, rule: string, intervalMs?: number } | undefined
  /** Where the HTTP server listens; undefined: not at all (tests use inject). */
  listen?: { host: string, port: number } | undefined
  now?: () => number
  /** Alert actions over Socket Mode (SLACK_APP_TOKEN): their silences feed every decision, their socket shows on /readyz. */
  actions?: AlertActions | undefined
  /**
   * The change context (issue 20): where snapshots are kept (default: in memory, bounded) and the ECS lookups (built
   * in the command layer; absent: no ECS call). `off`: no change is derived at all (the bench's baseline).
   */
  changeContext?: { store?: StateStore | undefined, ecs?: EcsLookup | undefined } | 'off'
}

export interface Daemon {
  server: FastifyInstance
  /** The address the server listens on, when it does. */
  url?: string
  /** Messages the processor has finished (any outcome). */
  processed(): number
  /** What /readyz answers. */
  readiness(): ReadinessReport
  /** SIGHUP: load, validate and test the rules and config; swap only when all pass. Never rejects. */
  reload(why?: string): Promise<boolean>
  /** SIGTERM: stop polling, finish work in hand within graceMs, release the rest, close. */
  stop(graceMs: number): Promise<{ finished: number, released: number }>
}

/**
 * Compose the daemon from clients the command layer built. Start refuses, with every problem listed, when the rules,
 * the config or the queue cannot work; then the parts run side by side and report their own status: the active
 * set (activeSetHolder.ts), the poll loop, the sink, the bus-rule watch.
 */
export async function startDaemon(deps: DaemonDeps): Promise<Daemon> {
  const { log, metrics, now = Date.now } = deps
  const state = deps.state ?? new MemoryStateStore()
  const announce = createAnnounceOnce({ state, owner: `${pid}-${randomUUID()}`, now })
  const location = { rulesDir: deps.rulesDir, configPath: deps.configPath, defaultChannel: deps.defaultChannel }
  const load = () => loadActiveSet({ ...location, now: now() }, { slack: deps.slackConfigured === true })
  const [first, queue] = await Promise.all([load(), checkQueue(deps.sqs, deps.queueUrl)])
  const problems = [...(first.ok ? [] : first.problems), ...queue.problems]
  if (!first.ok || problems.length > 0) throw new ConfigError(problems)
  for (const w of [...first.warnings, ...queue.warnings]) log.warn({ rules: deps.rulesDir, queueUrl: deps.queueUrl }, w)

  const holder = createActiveSetHolder({ first: first.active, load, log, metrics, now, location })
  deps.sink.configure?.(first.active.sink)
  await deps.sink.verify?.()

  let publisher = publisherOf(first.active)
  function publisherOf(a: ActiveSet) {
    return a.publisher && deps.publisherFor ? deps.publisherFor(a.publisher) : undefined
  }
  const notifyDefault = async (alert: Parameters<AlertSink['deliver']>[0]) => deps.sink.deliver(alert, { channel: holder.current().decision.defaultChannel })
  const heartbeat = createHeartbeatWatch({ notify: (alert, channel) => deps.sink.deliver(alert, { channel }), metrics, log, now, announce })
  heartbeat.configure(first.active.heartbeat)
  const expiry = createExceptionExpiryWatch({ deliver: (alert, target) => deps.sink.deliver(alert, target), log, now, announce })
  expiry.configure(first.active)
  const collisions = createEventIdCollisions({
    now,
    notify: (alert) => {
      log.warn({ eventKey: alert.eventKey }, 'two different records share one eventID')
      void notifyDefault(alert).catch((err: unknown) => { log.error({ err: String(err) }, 'could not deliver the eventID-collision notice') })
    },
  })

  const enrich = deps.changeContext === 'off'
    ? undefined
    : createChangeEnricher({
        // The daemon's store: with TRAILWARDEN_STATE_TABLE every replica feeds and reads the same snapshots, so a
        // replica never shows a "from" older than another replica's last event for that service.
        store: deps.changeContext?.store ?? state,
        ecs: deps.changeContext?.ecs,
        metrics,
        log,
        now,
      })
  let processed = 0
  const process = createMessageProcessor({
    active: () => holder.current(),
    sink: deps.sink,
    publisher: () => publisher,
    metrics,
    log,
    now,
    maxReceiveCount: queue.maxReceiveCount,
    onEventSeen: (at) => { heartbeat.eventSeen(at) },
    onAlert: (routed) => {
      collisions.observe(routed.alert)
      deps.actions?.remember(routed.alert, routed.event.context)
    },
    silences: deps.actions ? () => deps.actions?.silences() ?? [] : undefined,
    retryBaseSeconds: deps.retryBaseSeconds,
    enrich,
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
    heartbeatIntervalMs: heartbeatInterval(deps.heartbeatIntervalMs, queue.visibilityTimeoutSeconds),
    log,
    now,
  })
  const sqsComponent: HasStatus = { name: 'sqs', status: (at) => source.status(at) }

  const busWatch = deps.busRule
    ? createBusRuleWatch({ ...deps.busRule, ruleSet: () => holder.current().ruleSet, notify: notifyDefault, metrics, log, now, announce })
    : undefined
  const sinkComponent: HasStatus | undefined = deps.sink.status ? { name: deps.sink.name, status: deps.sink.status.bind(deps.sink) } : undefined
  const stateComponent: HasStatus = { name: 'state', status: (at) => state.status(at) }
  const components = [holder, sqsComponent, sinkComponent, stateComponent, busWatch, deps.actions].filter((c): c is HasStatus => c !== undefined)
  const readiness = () => composeReadiness(components, now())

  holder.onChange((next, previous) => {
    deps.sink.configure?.(next.sink)
    heartbeat.configure(next.heartbeat)
    expiry.configure(next)
    if (JSON.stringify(next.publisher) !== JSON.stringify(previous.publisher)) {
      const old = publisher
      publisher = publisherOf(next)
      void old?.close()
    }
    void busWatch?.check()
  })

  const server = buildServer({
    readiness,
    liveness: () => source.alive(),
    registry: metrics.registry,
    onReadyChange: (r) => { metrics.ready.set(r ? 1 : 0) },
  })
  let url: string | undefined
  if (deps.listen) {
    url = await server.listen({ host: deps.listen.host, port: deps.listen.port })
    log.info({ url }, 'HTTP server listening (/healthz /readyz /metrics)')
  }
  source.start()
  log.info({ queueUrl: deps.queueUrl, sink: deps.sink.name }, 'polling')
  // Who may act is read from the active set on every click, so it reloads with trailwarden.yaml.
  deps.actions?.start(() => holder.current().config.slack.actions?.allowed ?? [])
  if (deps.actions && (first.active.config.slack.actions?.allowed.length ?? 0) === 0) {
    log.warn({ config: deps.configPath }, 'alerts carry buttons but slack.actions.allowed names nobody: every click is refused until it lists user ids or user groups')
  }
  await busWatch?.check()

  const daemon: Daemon = {
    server,
    processed: () => processed,
    readiness,
    reload: (why = 'reload') => holder.reload(why),
    async stop(graceMs) {
      heartbeat.stop()
      expiry.stop()
      busWatch?.stop()
      const result = await source.stop(graceMs)
      await deps.actions?.stop()
      await deps.sink.close()
      await publisher?.close()
      await server.close()
      log.info(result, 'stopped: work in hand finished, the rest released to the queue')
      return result
    },
  }
  if (url) daemon.url = url
  return daemon
}

/**
 * How often messages in work are extended: every 15 s by default, but at least three times within the queue's own
 * VisibilityTimeout, so a queue made with a short one (a few seconds) does not hand a message in work to another
 * receive, again and again, until the redrive policy moves it — delivered — to the DLQ.
 */
export function heartbeatInterval(configuredMs: number | undefined, visibilityTimeoutSeconds: number | undefined): number {
  const base = configuredMs ?? 15_000
  return visibilityTimeoutSeconds === undefined ? base : Math.max(200, Math.min(base, Math.floor((visibilityTimeoutSeconds * 1000) / 3)))
}
