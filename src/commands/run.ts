import { parseArgs } from 'node:util'
import { readEnv } from '../config/readEnv.js'
import { unknownVariables } from '../config/unknownVariables.js'
import { watchPaths } from '../config/watchPaths.js'
import { startDaemon } from '../daemon/startDaemon.js'
import { ConfigError, RuleSetError } from '../errors.js'
import { createMetrics, labelValue } from '../metrics/createMetrics.js'
import { createSlackSink } from '../sinks/slack/createSlackSink.js'
import { createStdoutSink } from '../sinks/stdoutSink.js'
import { createEventBridgeSink } from '../sinks/eventBridgeSink.js'
import { createAlertActions } from '../sinks/slack/socket/createAlertActions.js'
import { DynamoStateStore } from '../state/dynamoStateStore.js'
import { MemoryStateStore } from '../state/memoryStateStore.js'
import { createDynamoClient, createEcsClient, createEventBridgeClient, createLogger, createSlackClient, createSocketModeClient, createSqsClient } from './clients.js'
import { createEcsLookup } from '../sources/ecs/createEcsLookup.js'
import { type Command, EXIT } from './io.js'

const OPTIONS = {
  'dry-run': { type: 'boolean', description: 'alerts go to stdout instead of Slack and EventBridge (the queue is still consumed and acknowledged)' },
  'watch': { type: 'boolean', description: 'reload when anything under the rules folder or the config changes (SIGHUP always reloads)' },
} as const

export const runCommand: Command = {
  options: OPTIONS,
  notes: 'Configuration comes from the environment (TRAILWARDEN_QUEUE_URL, SLACK_BOT_TOKEN, …): see the README\'s table. A start that cannot work (invalid variables, rules or config, a queue that cannot be read) exits 2 with every problem listed.',
  summary: 'run the daemon: long-poll SQS, evaluate the rules, post alerts; /healthz /readyz /metrics over HTTP',
  usage: 'trailwarden run [--dry-run] [--watch]   (configuration from the environment: see the README)',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: OPTIONS })
    let env
    try {
      env = readEnv(io.env)
    } catch (err) {
      if (err instanceof ConfigError) {
        io.stderr.write(`trailwarden: refusing to start: ${err.message}\n`)
        return EXIT.usage
      }
      throw err
    }
    const log = createLogger(env.LOG_LEVEL)
    // A typo (TRAILWARDEN_RULE) would otherwise be ignored in silence and the bundled rules run instead of the team's.
    for (const warning of unknownVariables(io.env)) log.warn({ variables: 'environment' }, warning)
    const dryRun = values['dry-run'] === true
    const token = dryRun ? undefined : env.SLACK_BOT_TOKEN
    if (!token) log.warn({ dryRun }, dryRun ? '--dry-run: alerts go to stdout, not Slack' : 'SLACK_BOT_TOKEN is not set: alerts go to stdout, not Slack')
    const metrics = createMetrics()
    // Shared state (#19) when a table is named; else this process's memory, as before.
    const state = env.TRAILWARDEN_STATE_TABLE
      ? new DynamoStateStore(createDynamoClient(env.AWS_REGION, { endpoint: env.AWS_ENDPOINT_URL_DYNAMODB }), env.TRAILWARDEN_STATE_TABLE, {
          onFailure: (operation, retryable) => { metrics.stateErrors.inc({ operation, retryable: String(retryable) }) },
        })
      : new MemoryStateStore()
    // The sink's settings (fallback channel, storm threshold, pace) come from the active set, at start and on reload.
    const slackClient = token ? createSlackClient(token, log, env.SLACK_API_URL) : undefined
    const appToken = token ? env.SLACK_APP_TOKEN : undefined
    if (env.SLACK_APP_TOKEN && !token) log.warn({ dryRun }, 'SLACK_APP_TOKEN is set without SLACK_BOT_TOKEN (or with --dry-run): alerts carry no buttons')
    // The same store as deliveries: with TRAILWARDEN_STATE_TABLE every replica sees each silence and handles each
    // envelope once; without it, this process's own.
    const actions = slackClient && appToken
      ? createAlertActions({ socket: createSocketModeClient(appToken, log, env.SLACK_API_URL), client: slackClient, store: state, log })
      : undefined
    const sink = slackClient
      ? createSlackSink({
          client: slackClient,
          actions: actions !== undefined,
          metrics: {
            delivered: (channel, status) => { metrics.slackPosts.inc({ channel, status }) },
            failed: (_channel, kind, code) => { metrics.slackErrors.inc({ kind, code: labelValue(code) }) },
            rateLimited: (channel) => { metrics.slackRateLimited.inc({ channel }) },
          },
          ...(state.kind === 'dynamodb' ? { state, claimLeaseMs: env.TRAILWARDEN_STATE_LEASE_SECONDS * 1000 } : {}),
          onStateProblem: (what, detail) => {
            metrics.stateBypassed.inc({ reason: what })
            const message = {
              blind: 'state store down too long: posting without a claim (a duplicate is possible)',
              mark_failed: 'Slack accepted the alert but the state store could not record it',
              unverified: 'took over a dead replica\'s delivery and could not check Slack for its message: posted (a duplicate is possible)',
            }[what]
            log.error({ what, detail }, message)
          },
          onConfigurationError: (channel, code) => {
            log.error({ channel, code }, 'Slack configuration problem: readiness is false until a delivery to this channel succeeds')
          },
          onMentions: (r) => {
            if (r.error) log.warn({ code: r.error }, 'usergroups.list failed: user-group mentions stay inert text until a reload resolves them (scope usergroups:read)')
            if (r.unknown.length > 0) log.warn({ handles: r.unknown.slice(0, 20) }, 'mentions that are no Slack user group handle: shown as text, paging nobody')
            else if (Object.keys(r.groups).length > 0) log.info({ groups: Object.keys(r.groups).length }, 'user-group mentions resolved')
          },
        })
      : createStdoutSink(io.stdout)

    let eventBridge: ReturnType<typeof createEventBridgeClient> | undefined
    const eventBridgeClient = () => (eventBridge ??= createEventBridgeClient(env.AWS_REGION))
    let daemon
    try {
      daemon = await startDaemon({
        sqs: createSqsClient(env.AWS_REGION, env.AWS_ENDPOINT_URL_SQS),
        queueUrl: env.TRAILWARDEN_QUEUE_URL,
        sink,
        state,
        slackConfigured: token !== undefined,
        publisherFor: dryRun
          ? undefined
          : (settings) => createEventBridgeSink({ client: eventBridgeClient(), bus: settings.bus, detailType: settings.detailType }),
        busRule: env.TRAILWARDEN_EVENTBRIDGE_RULE
          ? { client: eventBridgeClient(), bus: env.TRAILWARDEN_EVENTBRIDGE_BUS, rule: env.TRAILWARDEN_EVENTBRIDGE_RULE }
          : undefined,
        rulesDir: env.TRAILWARDEN_RULES,
        configPath: env.TRAILWARDEN_CONFIG,
        defaultChannel: env.TRAILWARDEN_SLACK_DEFAULT_CHANNEL,
        log,
        metrics,
        pollers: env.TRAILWARDEN_POLLERS,
        maxInFlight: env.TRAILWARDEN_MAX_IN_FLIGHT,
        listen: { host: env.HOST, port: env.PORT },
        actions,
        changeContext: {
          ecs: env.TRAILWARDEN_CHANGE_LOOKUPS === 'ecs' ? createEcsLookup({ client: createEcsClient(env.AWS_REGION) }) : undefined,
        },
      })
    } catch (err) {
      if (err instanceof RuleSetError || err instanceof ConfigError) {
        log.fatal({ problems: err instanceof RuleSetError ? err.lines : err.problems }, 'refusing to start')
        io.stderr.write(`trailwarden: refusing to start: ${err.message}\n`)
        log.flush()
        return EXIT.usage
      }
      throw err
    }

    const reload = (why: string) => {
      log.info({ why }, 'reloading rules')
      void daemon.reload(why)
    }
    const watcher = values.watch
      ? watchPaths(
          [env.TRAILWARDEN_RULES, env.TRAILWARDEN_CONFIG].filter((p): p is string => p !== undefined),
          (changed) => { reload(`change in ${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ` and ${changed.length - 5} more` : ''}`) },
          { onError: (err) => { log.error({ err: err.message }, 'watching the rules failed; SIGHUP still reloads') } },
        )
      : undefined
    void watcher?.ready.then(() => { log.info({ paths: [env.TRAILWARDEN_RULES, env.TRAILWARDEN_CONFIG] }, 'watching the rules and the config for changes') })
    const onHup = () => { reload('SIGHUP') }
    process.on('SIGHUP', onHup)
    // ECS sends SIGTERM, then SIGKILL after the stop timeout: finish within the bound, release the rest.
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        log.info({ signal, graceSeconds: env.TRAILWARDEN_SHUTDOWN_SECONDS }, 'shutting down')
        void daemon.stop(env.TRAILWARDEN_SHUTDOWN_SECONDS * 1000).finally(resolve)
      }
      process.once('SIGTERM', () => { stop('SIGTERM') })
      process.once('SIGINT', () => { stop('SIGINT') })
    })
    process.off('SIGHUP', onHup)
    await watcher?.close()
    log.flush()
    return 0
  },
}
