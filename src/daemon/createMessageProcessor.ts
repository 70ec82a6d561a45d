import type { Message } from '@aws-sdk/client-sqs'
import { decide, type RoutedAlert } from '../core/decide/decide.js'
import { groupAlerts } from '../core/decide/groupAlerts.js'
import { readEvents } from '../core/intake/readEvents.js'
import type { Silence } from '../core/silences/silence.js'
import type { Metrics } from '../metrics/createMetrics.js'
import type { ChangeEnricher } from '../sources/ecs/createChangeEnricher.js'
import type { AlertSink, DeliveryOutcome } from '../sinks/alertSink.js'
import { DeliveryError } from '../sinks/deliveryError.js'
import type { HandlerResult, SourceLog } from '../sources/sqs/createSqsSource.js'
import type { ActiveSet } from './activeSet.js'

export interface ProcessorDeps {
  /** The active set at the moment a message arrives: the whole message is decided and routed under it. */
  active: () => ActiveSet
  sink: AlertSink
  /** Also publish each alert once (EventBridge); the message is acknowledged only when it accepted too. */
  publisher?: () => AlertSink | undefined
  metrics: Metrics
  log: SourceLog & { debug(obj: object, msg: string): void }
  now?: () => number
  /** maxReceiveCount of the queue's redrive policy, when known: the last receive is logged as dead-lettering. */
  maxReceiveCount?: number | undefined
  onEventSeen?: (at: number) => void
  /** Every alert decided, before delivery (the eventID-collision check watches them). */
  onAlert?: (routed: RoutedAlert) => void
  /** The active silences made in Slack (kept fresh from the state store by the Socket Mode actions). */
  silences?: (() => readonly Silence[]) | undefined
  /** First retry delay after a failed delivery, doubled on each receive. */
  retryBaseSeconds?: number
  /** The change context (issue 20): sets each ECS change's from → to before the decision; undefined when nothing to do. */
  enrich?: ChangeEnricher
}

/**
 * Seconds before a message whose delivery failed is tried again: 30, 60, 120, 240, then 300 per receive; a
 * configuration failure (a wrong token or channel, which a retry soon cannot fix) waits 300 at once. With the
 * deploy's maxReceiveCount of 5, the fifth receive comes 7.5 minutes after the first, so a Slack outage of up to
 * that long loses nothing to the DLQ. Deterministic on purpose, unlike the jittered sources/backoff.ts: that
 * guarantee is the sum of the delays, and random draws below them could spend every receive within a minute.
 */
export const retryDelaySeconds = (receiveCount: number, kind: DeliveryError['kind'], base = 30) =>
  kind === 'configuration' ? Math.min(300, base * 20) : Math.min(300, base * 2 ** Math.max(0, receiveCount - 1))

/**
 * When every failure says when a retry can succeed (another replica's lease ends, #19), the message comes back then
 * (at least a second later, at most the usual backoff); otherwise the usual backoff.
 */
function visibilityFor(errors: unknown[], backoff: number, at: number): number {
  const ats = errors.map((e) => (e instanceof DeliveryError ? e.retryAt : undefined))
  if (ats.some((t) => t === undefined)) return backoff
  const latest = Math.max(...(ats as number[]))
  return Math.min(backoff, Math.max(1, Math.ceil((latest - at) / 1000)))
}

interface Attempt { eventKey: string, rule: string, channel: string, result: Promise<DeliveryOutcome> }

/** One delivery's outcome, as Promise.allSettled gives it, kept next to the attempt it belongs to. */
const settle = (p: Promise<DeliveryOutcome>): Promise<PromiseSettledResult<DeliveryOutcome>> =>
  p.then((value) => ({ status: 'fulfilled', value }), (reason: unknown) => ({ status: 'rejected', reason }))

/**
 * One SQS message: read it, let the shared decision step (core/decide) say what to alert and where, deliver, and
 * decide the acknowledgement. This file is where a message is acknowledged: only when every alert it caused was
 * accepted (or deliberately not sent: suppressed, shadow). Metrics and logs live here; decisions do not.
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

    /**
     * Read, decide and start the deliveries in one step (its one wait: the change context, above): the parsed records and the decision live only inside
     * this call, so while the deliveries wait for Slack the message holds its alerts (bounded) and its body, never
     * its parsed object graph (an attack run kept 1.7 GiB of parsed 1 MiB bodies alive across 100 messages in work).
     */
    const begin = async (): Promise<HandlerResult | Attempt[]> => {
      const active = deps.active()
      const t0 = performance.now()
      const { events, rejections } = readEvents(message.Body ?? '', active.settings, active.intake)
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

      // The one wait before deciding (a state-store read, at most an ECS call under its deadline), only for messages
      // holding one of the ECS calls a change is derived for; the parsed records live across it.
      const enriching = deps.enrich?.(events, active.ruleSet)
      if (enriching) await enriching
      const at = now()
      for (const event of events) metrics.eventsSeen(event.record.eventName)
      deps.onEventSeen?.(at)
      const decision = decide(events, active.decision, { now: at, silences: deps.silences?.() })
      for (const f of decision.failed) {
        metrics.recordsRejected.inc({ reason: 'evaluation-failed' })
        log.error({ messageId, eventKey: f.event.context.eventKey, reason: f.reason }, 'an event could not be evaluated (a defect: please report it); the message\'s other events are unaffected')
      }
      for (const s of decision.suppressed) {
        metrics.ruleSuppressions.inc({ rule: s.rule.id })
        log.debug({ messageId, eventKey: s.event.context.eventKey, rule: s.rule.id, exception: s.exception.reason }, 'match suppressed by exception')
      }
      for (const s of decision.silenced) {
        // Counted as a suppression, like an exception's: the message is still acknowledged below.
        metrics.ruleSuppressions.inc({ rule: s.rule.id })
        log.info({ messageId, eventKey: s.event.context.eventKey, rule: s.rule.id, silence: s.silence.id, author: s.silence.author }, 'match suppressed by a silence')
      }
      for (const s of decision.shadowed) {
        metrics.ruleMatches.inc({ rule: s.rule.id, mode: 'shadow' })
        log.info({ messageId, eventKey: s.event.context.eventKey, rule: s.rule.id }, 'shadow rule matched (not notified)')
      }
      const attempts: Attempt[] = []
      const publisher = deps.publisher?.()
      for (const routed of decision.alerts) {
        const { alert } = routed
        metrics.ruleMatches.inc({ rule: alert.ruleId, mode: 'alert' })
        if (routed.degraded) {
          log.error({ messageId, eventKey: alert.eventKey, rule: alert.ruleId, reason: routed.degraded }, 'alert delivered in its minimal form (a defect: please report it)')
        }
        deps.onAlert?.(routed)
        // EventBridge gets one event per finding: its consumers filter on detail.ruleId and severity, which a grouped
        // event would hide behind its leading finding.
        if (publisher) {
          const result = publisher.deliver(alert, { channel: publisher.name })
          attempts.push({ eventKey: alert.eventKey, rule: alert.ruleId, channel: publisher.name, result })
        }
      }
      // One message per API call per channel (issue 18): every rule an event matched, grouped per channel.
      for (const group of groupAlerts(decision.alerts)) {
        attempts.push({ eventKey: group.alert.eventKey, rule: group.ruleIds.join(','), channel: group.target.channel, result: deps.sink.deliver(group.alert, group.target) })
      }
      metrics.evaluationSeconds.observe((performance.now() - t0) / 1000)
      metrics.lastEventSeen.set(at / 1000)
      return attempts
    }
    const begun = await begin()
    if (!Array.isArray(begun)) return begun
    const attempts = begun
    const settled = await Promise.all(attempts.map(async ({ result, ...where }) => ({ ...where, outcome: await settle(result) })))
    const failures: Array<{ error: unknown, eventKey: string, rule: string, channel: string }> = []
    for (const { eventKey, rule, channel, outcome } of settled) {
      if (outcome.status === 'fulfilled') log.info({ messageId, eventKey, rule, channel, outcome: outcome.value }, 'alert delivered')
      else failures.push({ error: outcome.reason, eventKey, rule, channel })
    }
    if (failures.length === 0) {
      metrics.messagesAcknowledged.inc()
      return { action: 'ack' }
    }
    const kinds = failures.map((f) => (f.error instanceof DeliveryError ? f.error.kind : 'retryable'))
    const worst = kinds.includes('configuration') ? 'configuration' : kinds[0] ?? 'retryable'
    const reason = `delivery_${worst}`
    metrics.messagesFailed.inc({ reason })
    if (lastReceive) metrics.messagesDeadLettered.inc({ reason })
    log.error(
      {
        messageId,
        receiveCount,
        failures: failures.map((f) => ({
          eventKey: f.eventKey, rule: f.rule, channel: f.channel, error: f.error instanceof Error ? f.error.message : String(f.error),
        })),
      },
      lastReceive ? 'alerts not delivered; the message moves to the DLQ on its next receive' : 'alerts not delivered; the message will be redelivered',
    )
    return { action: 'retry', visibilitySeconds: visibilityFor(failures.map((f) => f.error), retryDelaySeconds(receiveCount, worst, deps.retryBaseSeconds), now()), reason }
  }
}
