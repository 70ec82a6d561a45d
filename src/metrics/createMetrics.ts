import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/** Bound on distinct label values taken from events (eventName): a hostile stream must not explode the series. */
const MAX_EVENT_NAMES = 300

/**
 * A label value that came from outside (an event's eventName, a Slack error code): kept only when it looks like one
 * — letters, digits and `_.:-`, at most 64 characters — else `other`. Counting distinct values alone let 300 names
 * of 100 KB make a 29 MiB /metrics page (issue 16).
 */
export function labelValue(value: string): string {
  return /^[A-Za-z0-9_.:-]{1,64}$/.test(value) ? value : 'other'
}

/** Every metric the daemon exposes on /metrics. One registry per daemon, so tests can build several. */
export function createMetrics(registry = new Registry()) {
  collectDefaultMetrics({ register: registry, prefix: 'trailwarden_process_' })
  const c = (name: string, help: string, labelNames: string[] = []) => new Counter({ name, help, labelNames, registers: [registry] })
  const g = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [registry] })
  const seenNames = new Set<string>()
  const events = c('trailwarden_events_total', 'CloudTrail records read, by eventName', ['event_name'])
  return {
    registry,
    messagesReceived: c('trailwarden_messages_received_total', 'SQS messages received'),
    messagesAcknowledged: c('trailwarden_messages_acknowledged_total', 'SQS messages deleted after every alert was accepted'),
    messagesFailed: c('trailwarden_messages_failed_total', 'SQS messages left for redelivery, by reason', ['reason']),
    messagesUnreadable: c('trailwarden_messages_unreadable_total', 'SQS messages that could not be read, by reason (left for the DLQ)', ['reason']),
    messagesDeadLettered: c('trailwarden_messages_dead_lettered_total', 'Messages on their last receive before the redrive policy moves them to the DLQ', ['reason']),
    recordsRejected: c('trailwarden_records_rejected_total', 'Records inside messages that could not be read, by reason', ['reason']),
    eventsSeen(name: string) {
      let eventName = labelValue(name)
      if (!seenNames.has(eventName) && seenNames.size >= MAX_EVENT_NAMES) eventName = 'other'
      seenNames.add(eventName)
      events.inc({ event_name: eventName })
    },
    ruleMatches: c('trailwarden_rule_matches_total', 'Rule matches, by rule and mode', ['rule', 'mode']),
    ruleSuppressions: c('trailwarden_rule_suppressions_total', 'Matches suppressed by an exception, by rule', ['rule']),
    slackPosts: c('trailwarden_slack_posts_total', 'Alerts accepted by Slack, by channel and status', ['channel', 'status']),
    slackErrors: c('trailwarden_slack_errors_total', 'Slack failures, by kind and code', ['kind', 'code']),
    slackRateLimited: c('trailwarden_slack_rate_limited_total', 'HTTP 429 answers from Slack, by channel', ['channel']),
    evaluationSeconds: new Histogram({
      name: 'trailwarden_evaluation_seconds',
      help: 'Time to read, normalise and evaluate one message',
      buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.01, 0.05],
      registers: [registry],
    }),
    queueLagSeconds: new Histogram({
      name: 'trailwarden_queue_lag_seconds',
      help: 'From SQS SentTimestamp to receipt',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    lastEventSeen: g('trailwarden_last_event_seen_timestamp_seconds', 'When the last CloudTrail record arrived (unix seconds)'),
    rulesLoaded: g('trailwarden_rules_loaded', 'Rules in the active rule set'),
    reloadSuccess: g('trailwarden_rules_last_reload_success', '1 when the last rule load succeeded, 0 when the old set was kept'),
    reloadTimestamp: g('trailwarden_rules_last_reload_timestamp_seconds', 'When rules were last loaded or reload was attempted'),
    ready: g('trailwarden_ready', '1 when /readyz passes'),
    busRuleDrift: g('trailwarden_bus_rule_drift', 'Events the rules need that the EventBridge rule filters out (0: in step)'),
    changeLookups: c('trailwarden_change_lookups_total', 'ECS lookups for the change context (previous state), by outcome: found, absent, unavailable', ['outcome']),
    changeUnavailable: c('trailwarden_change_previous_unavailable_total', 'Events whose previous state could not be had (a lookup or the state store failed, was denied or timed out), by reason; their alerts say so', ['reason']),
    pipelineSilent: g('trailwarden_pipeline_silent', '1 while no event has arrived for heartbeat.silentFor'),
    stateErrors: c('trailwarden_state_errors_total', 'Failed calls to the state store (DynamoDB), by operation and whether a retry can help', ['operation', 'retryable']),
    stateBypassed: c('trailwarden_state_bypassed_total', 'Deliveries posted without a claim because the state store failed for too long (blind), whose delivered mark could not be written (mark_failed), or taken over from a dead replica without being able to check Slack for its message (unverified)', ['reason']),
  }
}

export type Metrics = ReturnType<typeof createMetrics>
