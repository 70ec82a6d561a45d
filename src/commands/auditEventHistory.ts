import type { Event } from '@aws-sdk/client-cloudtrail'
import type { Target } from '../core/alerts/routeAlert.js'
import { createChangeTracker } from '../core/change/createChangeTracker.js'
import { decideInto, emptyDecision } from '../core/decide/decide.js'
import { normaliseEach } from '../core/intake/readEvents.js'
import type { NormalisedEvent } from '../core/intake/types.js'
import type { ReportedAlert } from '../core/report/alertReport.js'
import { countDecision, emptySummary } from '../core/replay/replaySummary.js'
import { createRuleSet } from '../core/rules/engine/ruleSet.js'
import { activeSetOf } from '../daemon/activeSet.js'
import { parseRegions } from '../sources/eventHistory/allRegions.js'
import { eventRecords, type UnreadEvent } from '../sources/eventHistory/eventRecords.js'
import { type AlertFormat, writeAlertReport } from './alertOutput.js'
import { historySlackSink } from './historySlackSink.js'
import { eventHistoryWindow } from './eventHistoryOptions.js'
import { failedAtStart, incompleteLines, runEventHistory } from './eventHistoryRun.js'
import { type CommandIO, EXIT } from './io.js'
import { loadForCommand } from './ruleOptions.js'

/** The audit options the event-history engine reads (audit.ts parses them). */
export interface EventHistoryAuditValues {
  'region'?: string | undefined
  'since'?: string | undefined
  'until'?: string | undefined
  'rule'?: string | undefined
  'slack'?: boolean | undefined
  'confirm-slack'?: boolean | undefined
  'rules'?: string | undefined
  'config'?: string | undefined
}

/** Unreadable events named on stderr, at most this many (the count is always given). */
const NAMED_UNREAD = 20

/**
 * `trailwarden audit --engine event-history`: the rules over the account's CloudTrail Event history, region by region,
 * each CloudTrailEvent through the daemon's intake (its limits), normalisation and decision step. Alerts are printed
 * oldest first, the regions merged by eventTime. Exit 0; 1 when some events could not be read or Slack refused a post;
 * 2 on usage, credentials, permission, or a run that stopped before the end (what was read is printed, marked
 * INCOMPLETE).
 */
export async function auditEventHistory(values: EventHistoryAuditValues, format: AlertFormat, io: CommandIO): Promise<number> {
  const now = (io.now ?? Date.now)()
  const window = eventHistoryWindow(values.since, values.until, now)
  const regionText = values.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION
  const regions = regionText === undefined ? { error: 'no region: give --region (eu-west-1, a list, or all) or set AWS_REGION' } : parseRegions(regionText)
  if ('error' in window || 'error' in regions) {
    io.stderr.write(`${'error' in window ? window.error : 'error' in regions ? regions.error : ''}\n`)
    return EXIT.usage
  }
  if (values.slack && !values['confirm-slack']) {
    io.stderr.write('--slack posts every alert found in the past to the live Slack channels of the config: add --confirm-slack to do that (warn the channels first)\n')
    return EXIT.usage
  }
  const bundle = await loadForCommand(values, io, now)
  if (!bundle?.ruleSet) return EXIT.usage
  const { ruleSet, settings, config } = bundle
  if (values.rule && !ruleSet.rules.some((r) => r.id === values.rule)) {
    io.stderr.write(`no rule with id '${values.rule}'\n`)
    return EXIT.usage
  }
  if (values.slack && (!io.env.SLACK_BOT_TOKEN || !config.slack.defaultChannel)) {
    io.stderr.write('--slack needs SLACK_BOT_TOKEN and slack.defaultChannel in the config\n')
    return EXIT.usage
  }
  if (window.note) io.stderr.write(`note: ${window.note}\n`)

  // With --rule only that rule is evaluated (and only its exceptions can suppress), as in replay.
  const rules = values.rule ? createRuleSet(ruleSet.rules.filter((r) => r.id === values.rule), ruleSet.hash) : ruleSet
  const active = activeSetOf(rules, config, settings)
  // Exceptions are judged as of the event's time, as in replay.
  const options = { now, judgeAt: (e: { record: { eventTime: string } }) => Date.parse(e.record.eventTime) }
  const summary = emptySummary()
  const found: Array<ReportedAlert & { targets: Target[], at: number, region: string, key: string }> = []
  const unread: UnreadEvent[] = []
  const seen = new Set<string>()
  const pending: Array<{ event: NormalisedEvent, region: string, at: number }> = []

  const onPage = (events: readonly Event[], region: string) => {
    summary.bodies += events.length
    const read = eventRecords(events, active.intake)
    for (const u of read.unread) {
      unread.push(u)
      summary.rejected[u.rejection.reason] = (summary.rejected[u.rejection.reason] ?? 0) + 1
    }
    for (const input of read.records) {
      summary.records += 1
      const { record } = input
      if (rules.preparedFor(record.eventSource, record.eventName).length === 0) continue
      const normalised = normaliseEach([input], settings)
      for (const r of normalised.rejections) summary.rejected[r.reason] = (summary.rejected[r.reason] ?? 0) + 1
      for (const event of normalised.events) {
        // Pages can shift while they are read (new events arrive at the head); an event read twice is decided once.
        if (seen.has(event.context.eventKey)) continue
        seen.add(event.context.eventKey)
        pending.push({ event, region, at: Date.parse(event.record.eventTime) })
      }
    }
  }
  const run = await runEventHistory(io, regions.regions, window, onPage)
  const fatal = failedAtStart(run)
  if (fatal) {
    io.stderr.write(`${fatal}\n`)
    return EXIT.usage
  }
  // Decided oldest first, all regions merged: pages come newest first, and a change (before → after) is derived from
  // the state the earlier events of the same service left (core/change), as replay does over archives.
  const changes = createChangeTracker()
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
  pending.sort((a, b) => a.at - b.at || order(a.region, b.region) || order(a.event.context.eventKey, b.event.context.eventKey))
  for (const { event, region } of pending) {
    changes.apply(event)
    const decision = emptyDecision()
    decideInto(decision, event, active.decision, options)
    countDecision(summary, decision)
    for (const { alert, targets } of decision.alerts) {
      found.push({ alert, targets, channels: targets.map((t) => t.channel), at: Date.parse(alert.eventTime), region, key: alert.eventKey })
    }
  }

  // Regions merged in time order, oldest first; ties by region then event key, so the order never depends on timing.
  found.sort((a, b) => a.at - b.at || (a.region < b.region ? -1 : a.region > b.region ? 1 : 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const incomplete = incompleteLines(run, window)
  const notes = [
    ...unread.slice(0, NAMED_UNREAD).map((u) => `unreadable event ${u.eventId}: ${u.rejection.message}`),
    ...(unread.length > NAMED_UNREAD ? [`… and ${unread.length - NAMED_UNREAD} more unreadable events`] : []),
    ...incomplete,
  ]
  const pages = run.results.reduce((n, r) => n + r.pages, 0)
  const header = `${summary.records} records read from Event history: ${summary.bodies} events in ${pages} page${pages === 1 ? '' : 's'} from ${regions.regions.length} region${regions.regions.length === 1 ? '' : 's'} (${regions.regions.join(', ')}), ${new Date(window.from).toISOString()} to ${new Date(window.to).toISOString()}${unread.length ? `; ${unread.length} events could not be read` : ''}${run.retries ? `; ${run.retries} calls retried after throttling` : ''}`
  writeAlertReport(io, format, found, summary, { title: 'trailwarden audit: Event history', header, notes })

  let failed = 0
  if (values.slack && incomplete.length === 0) {
    const sink = await historySlackSink(config, io.env)
    io.stderr.write(`audit --slack --confirm-slack: posting ${found.length} historical alerts to the live Slack channels of the config\n`)
    for (const f of found) {
      for (const target of f.targets) {
        await sink.deliver(f.alert, target).catch((err: unknown) => {
          failed += 1
          io.stderr.write(`Slack: ${err instanceof Error ? err.message : String(err)}\n`)
        })
      }
    }
    await sink.close()
  } else if (values.slack) io.stderr.write('--slack: nothing posted, the audit is incomplete (post a complete run only)\n')
  return incomplete.length > 0 ? EXIT.usage : unread.length > 0 || failed > 0 ? EXIT.findings : EXIT.ok
}
