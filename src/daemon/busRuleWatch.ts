import { createHash } from 'node:crypto'
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge'
import type { Alert } from '../core/alerts/alert.js'
import { systemAlert } from '../core/alerts/systemAlert.js'
import type { RuleSet } from '../core/rules/engine/ruleSet.js'
import type { HasStatus } from '../health/componentStatus.js'
import { StatusTracker } from '../health/statusTracker.js'
import type { Metrics } from '../metrics/createMetrics.js'
import { checkBusRule } from '../sources/checkBusRule.js'
import type { AnnounceOnce } from '../state/announceOnce.js'

export interface BusRuleWatch extends HasStatus {
  /** Compare the deployed rule with what the rules need now; alert once per new drift. Never rejects. */
  check(): Promise<void>
  stop(): void
}

/**
 * The EventBridge rule feeding the queue must let through what the rules need, or new rules silently never fire.
 * Checked at start, hourly and after every reload; drift is a readiness warning (traffic still flows), a metric and
 * one alert per distinct drift.
 */
export function createBusRuleWatch(options: {
  client: EventBridgeClient
  bus: string
  rule: string
  intervalMs?: number
  ruleSet: () => RuleSet
  notify: (alert: Alert) => Promise<unknown>
  metrics: Metrics
  log: { warn(obj: object, msg: string): void, error(obj: object, msg: string): void }
  now: () => number
  /** One alert per distinct drift a day across replicas (#19); absent: once per drift in this process. */
  announce?: AnnounceOnce
}): BusRuleWatch {
  const { client, bus, rule, metrics, log, now } = options
  const tracker = new StatusTracker(true, 'not checked yet', now())
  let lastDrift = ''
  async function check(): Promise<void> {
    try {
      const { drift } = await checkBusRule(client, { bus, rule }, options.ruleSet())
      metrics.busRuleDrift.set(drift.problems.length)
      const warnings = drift.problems.map((p) => `bus rule ${rule}: ${p}`)
      tracker.set(true, drift.problems.length ? `bus rule ${rule} drifts (see warnings)` : `bus rule ${rule} lets through what the rules need`, now(), warnings)
      const signature = drift.problems.join('\n')
      if (drift.problems.length > 0) log.warn({ rule, problems: drift.problems }, 'the EventBridge rule filters out events the rules need (trailwarden pattern --check --apply fixes it)')
      if (drift.problems.length > 0 && signature !== lastDrift) {
        const alert = driftAlert(rule, drift.problems, now())
        const send = () => options.notify(alert)
        const key = `bus-rule-drift#${createHash('sha256').update(`${bus}\n${rule}\n${signature}`).digest('hex').slice(0, 32)}`
        await (options.announce ? options.announce(key, 86_400_000, send) : send()).catch((err: unknown) => {
          log.error({ err: String(err) }, 'could not deliver the drift alert')
        })
      }
      lastDrift = signature
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      tracker.set(true, `bus rule ${rule}: DescribeRule failed`, now(), [`bus rule ${rule}: DescribeRule failed: ${message}`])
      log.warn({ err: message }, 'bus rule drift check failed (does the task role allow events:DescribeRule?)')
    }
  }
  const timer = setInterval(() => void check(), options.intervalMs ?? 3_600_000)
  timer.unref()
  return { name: 'bus-rule', check, stop: () => { clearInterval(timer) }, status: () => tracker.status }
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
