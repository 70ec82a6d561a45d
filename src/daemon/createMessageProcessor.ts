import type { Message } from '@aws-sdk/client-sqs'
import { buildAlert } from '../core/alerts/buildAlert.js'
import { routeAlert } from '../core/alerts/routeAlert.js'
import { readEvents } from '../core/intake/readEvents.js'
import { evaluate } from '../core/rules/engine/evaluate.js'
import type { Metrics } from '../metrics/createMetrics.js'
import type { AlertSink } from '../sinks/alertSink.js'
import { DeliveryError } from '../sinks/deliveryError.js'
import type { HandlerResult, SourceLog } from '../sources/sqs/createSqsSource.js'
import type { ActiveRules } from './activeRules.js'

export interface ProcessorDeps {
  rules: () => ActiveRules
  sink: AlertSink
  /** Also publish each alert once (EventBridge); the message is acknowledged only when it accepted too. */
  publisher?: AlertSink | undefined
  /** The channel of alerts no route claims (the stdout sink names it "stdout"). */
  defaultChannel: () => string
  metrics: Metrics
  log: SourceLog & { debug(obj: object, msg: string): void }
  now?: () => number
  /** maxReceiveCount of the queue's redrive policy, when known: the last receive is logged as dead-lettering. */
  maxReceiveCount?: number | undefined
  onEventSeen?: (at: number) => void
  /** First retry delay after a failed delivery, doubled on each receive. */
  retryBaseSeconds?: number
}

/**
 * Seconds before a message whose delivery failed is tried again: 30, 60, 120, 240, then 300 per receive. With the
 * deploy's maxReceiveCount of 5, the fifth receive comes 7.5 minutes after the first, so a Slack outage of up to
 * that long loses nothing to the DLQ.
 */
export const retryDelaySeconds = (receiveCount: number, kind: DeliveryError['kind'], base = 30) =>
  kind === 'configuration' ? Math.min(300, base * 20) : Math.min(300, base * 2 ** Math.max(0, receiveCount - 1))

/**
 * One SQS message through the pipeline: read → normalise → evaluate → alerts → route → sinks. The message is
 * acknowledged only when every alert it caused was accepted (or deliberately not sent: suppressed, shadow).
 */
export function createMessageProcessor(deps: ProcessorDeps): (message: Message) => Promise<HandlerResult> {
  const { metrics, log, now = Date.now } = deps
  return async (message) => {
    const messageId = message.MessageId
    const receiveCount = Number(message.Attributes?.ApproximateReceiveCount ?? '1')
    const lastReceive = deps.maxReceiveCount !== undefined && receiveCount >= deps.maxReceiveCount
    metrics.messagesReceived.inc()
    const sent = Number(message.Attributes?.SentTimestamp)
    if (Number.isFinite(sent)) metrics.queueLagSeconds.observe(Math.max(0, now() - sent) / 1000)

    const active = deps.rules()
    const t0 = performance.now()
    const { events, rejections } = readEvents(message.Body ?? '', active.settings, active.config.intake)
    for (const r of rejections) metrics.recordsRejected.inc({ reason: r.reason })
    if (events.length === 0) {
      const reason = rejections[0]?.reason ?? 'empty'
      metrics.messagesUnreadable.inc({ reason })
      if (lastReceive) metrics.messagesDeadLettered.inc({ reason })
      log.warn(
        { messageId, receiveCount, reasons: rejections.map((r) => `${r.reason}: ${r.message}`), dlq: lastReceive ? 'moves to the DLQ on its next receive' : 'left for the redrive policy' },
        'message cannot be read; not deleted',
      )
      return { action: 'poison', reason }
    }
    if (rejections.length > 0) log.warn({ messageId, reasons: rejections.map((r) => `record ${r.index ?? 0}: ${r.reason}: ${r.message}`) }, 'some records of the message cannot be read')

    const deliveries: Array<Promise<unknown>> = []
    const described: Array<{ eventKey: string, rule: string, channel: string }> = []
    const at = now()
    for (const event of events) {
      metrics.eventsSeen(event.record.eventName)
      deps.onEventSeen?.(at)
      const { matched, suppressed } = evaluate(active.ruleSet, event, at)
      for (const s of suppressed) {
        metrics.ruleSuppressions.inc({ rule: s.rule.id })
        log.debug({ messageId, eventKey: event.context.eventKey, rule: s.rule.id, exception: s.exception.reason }, 'match suppressed by exception')
      }
      for (const m of matched) {
        metrics.ruleMatches.inc({ rule: m.rule.id, mode: m.rule.mode })
        if (m.rule.mode === 'shadow') {
          log.info({ messageId, eventKey: event.context.eventKey, rule: m.rule.id }, 'shadow rule matched (not notified)')
          continue
        }
        const alert = buildAlert(m, event, active.config.accounts)
        if (deps.publisher) {
          described.push({ eventKey: alert.eventKey, rule: alert.ruleId, channel: deps.publisher.name })
          deliveries.push(deps.publisher.deliver(alert, { channel: deps.publisher.name }))
        }
        for (const target of routeAlert(alert, active.config.slack.routes, deps.defaultChannel())) {
          described.push({ eventKey: alert.eventKey, rule: alert.ruleId, channel: target.channel })
          deliveries.push(deps.sink.deliver(alert, target))
        }
      }
    }
    metrics.evaluationSeconds.observe((performance.now() - t0) / 1000)
    metrics.lastEventSeen.set(at / 1000)

    const results = await Promise.allSettled(deliveries)
    const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [{ error: r.reason as unknown, ...described[i]! }] : []))
    for (const [i, r] of results.entries()) {
      if (r.status === 'fulfilled') log.info({ messageId, ...described[i], outcome: r.value }, 'alert delivered')
    }
    if (failures.length === 0) {
      metrics.messagesAcknowledged.inc()
      return { action: 'ack' }
    }
    const worst = failures.map((f) => (f.error instanceof DeliveryError ? f.error.kind : 'retryable')).sort((a, b) => (a === 'configuration' ? -1 : b === 'configuration' ? 1 : 0))[0]!
    const reason = `delivery_${worst}`
    metrics.messagesFailed.inc({ reason })
    if (lastReceive) metrics.messagesDeadLettered.inc({ reason })
    log.error(
      {
        messageId,
        receiveCount,
        failures: failures.map((f) => ({
          eventKey: f.eventKey,
          rule: f.rule,
          channel: f.channel,
          error: f.error instanceof Error ? f.error.message : String(f.error),
        })),
      },
      lastReceive ? 'alerts not delivered; the message moves to the DLQ on its next receive' : 'alerts not delivered; the message will be redelivered',
    )
    return { action: 'retry', visibilitySeconds: retryDelaySeconds(receiveCount, worst, deps.retryBaseSeconds), reason }
  }
}
