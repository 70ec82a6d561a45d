import { parseArgs } from 'node:util'
import type { Alert } from '../core/alerts/alert.js'
import { renderTextSafely } from '../core/alerts/renderSafely.js'
import { groupAlerts } from '../core/decide/groupAlerts.js'
import { decideInto, emptyDecision } from '../core/decide/decide.js'
import { CHANGE_EVENTS } from '../core/change/changeTarget.js'
import { createChangeTracker } from '../core/change/createChangeTracker.js'
import { normaliseEach } from '../core/intake/readEvents.js'
import { countDecision, emptySummary, formatSummary } from '../core/replay/replaySummary.js'
import { createRuleSet } from '../core/rules/engine/ruleSet.js'
import { activeSetOf } from '../daemon/activeSet.js'
import { readArchive } from '../sources/readArchive.js'
import { archiveRecords, progress, timeWindow, WINDOW_OPTIONS } from './archiveOptions.js'
import { historySlackSink } from './historySlackSink.js'
import { batchedWriter, type Command, EXIT } from './io.js'
import { loadForCommand, RULE_OPTIONS } from './ruleOptions.js'

const OPTIONS = {
  ...RULE_OPTIONS,
  ...WINDOW_OPTIONS,
  rule: { type: 'string', value: 'ID', description: 'this rule only (and only its exceptions)' },
  format: { type: 'string', value: 'text|json|ndjson', default: 'text', description: 'text for people; json (one document) or ndjson (one alert a line) for tools' },
  limit: { type: 'string', value: 'N', description: 'stop after N alerts' },
  slack: { type: 'boolean', description: 'ALSO POST every alert to the live Slack channels of the config (needs SLACK_BOT_TOKEN): these are historical events, so warn the channel first' },
} as const

export const replayCommand: Command = {
  options: OPTIONS,
  notes: 'A summary (records, rejections by reason, alerts, shadow matches and suppressions per rule, top actors) goes to stderr. A damaged file is named and the rest read; the exit code is then 1.',
  summary: 'run the rules over CloudTrail archives (S3 log files, .json.gz, envelopes, JSON lines, - for stdin)',
  usage: 'trailwarden replay PATH… [--rule ID] [--since DATE] [--until DATE] [--format text|json|ndjson] [--limit N] [--slack] [--rules DIR] [--config FILE]',
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: OPTIONS,
    })
    if (positionals.length === 0) {
      io.stderr.write(`usage: ${this.usage}\n`)
      return EXIT.usage
    }
    const window = timeWindow(values.since, values.until)
    const format = values.format
    const limit = values.limit === undefined ? Infinity : Number(values.limit)
    if ('error' in window || !['text', 'json', 'ndjson'].includes(format) || Number.isNaN(limit)) {
      io.stderr.write(`${'error' in window ? window.error : Number.isNaN(limit) ? '--limit needs a number' : `--format ${format}: use text, json or ndjson`}\n`)
      return EXIT.usage
    }
    const bundle = await loadForCommand(values, io, Date.now())
    if (!bundle?.ruleSet) return EXIT.usage
    const { ruleSet, settings, config } = bundle
    if (values.rule && !ruleSet.rules.some((r) => r.id === values.rule)) {
      io.stderr.write(`no rule with id '${values.rule}'\n`)
      return EXIT.usage
    }
    let sink
    if (values.slack) {
      const token = io.env.SLACK_BOT_TOKEN
      if (!token || !config.slack.defaultChannel) {
        io.stderr.write('--slack needs SLACK_BOT_TOKEN and slack.defaultChannel in the config\n')
        return EXIT.usage
      }
      io.stderr.write('replay --slack: every alert below is ALSO POSTED to the live Slack channels of the config; these are historical events\n')
      sink = await historySlackSink(config, io.env)
    }

    const summary = emptySummary()
    const out = batchedWriter(io.stdout)
    const bar = progress(io.stderr)
    const alerts: Alert[] = []
    let matched = 0
    let currentFile: string | undefined
    let failed = 0
    const onError = (e: { file: string, message: string }) => {
      summary.damagedFiles.push(e)
      io.stderr.write(`${e.file}: ${e.message}\n`)
    }
    // With --rule only that rule is evaluated (and only its exceptions can suppress).
    const rules = values.rule ? createRuleSet(ruleSet.rules.filter((r) => r.id === values.rule), ruleSet.hash) : ruleSet
    const { decision: decisionSet } = activeSetOf(rules, config, settings)
    // Exceptions are judged as of the event's time: replaying last month applies last month's exceptions.
    const options = { now: Date.now(), judgeAt: (e: { record: { eventTime: string } }) => Date.parse(e.record.eventTime) }
    const changes = createChangeTracker()
    outer: for await (const body of readArchive(positionals, onError, io.stdin)) {
      if (body.file !== currentFile) {
        currentFile = body.file
        summary.files += 1
        out.flush()
      }
      summary.bodies += 1
      const { records, rejections } = archiveRecords(body, config.intake.maxDepth, onError)
      for (const r of rejections) summary.rejected[r.reason] = (summary.rejected[r.reason] ?? 0) + 1
      for (const input of records) {
        const { record } = input
        const at = Date.parse(record.eventTime)
        if (at < window.from || at > window.to) {
          summary.skippedByTime += 1
          continue
        }
        summary.records += 1
        // A call no rule names cannot match: it is counted, not normalised (most of an archive is read-only noise).
        // (The calls a change is derived for are always read: they feed the change context's "before" of later ones.)
        if (rules.preparedFor(record.eventSource, record.eventName).length === 0 && !CHANGE_EVENTS.has(record.eventName)) continue
        const decision = emptyDecision()
        // One record that cannot be normalised is a counted rejection, never the end of the replay.
        const read = normaliseEach([input], settings)
        for (const r of read.rejections) summary.rejected[r.reason] = (summary.rejected[r.reason] ?? 0) + 1
        for (const event of read.events) {
          // Offline change context: the "before" comes from earlier records of this replay, never from ECS (rules/README.md).
          changes.apply(event)
          decideInto(decision, event, decisionSet, options)
        }
        countDecision(summary, decision)
        // JSON and NDJSON list each finding (one object per rule, for jq); the text and Slack show one message per API
        // call per channel, as the daemon posts them (core/decide/groupAlerts.ts).
        const room = limit - matched
        const kept = decision.alerts.slice(0, room)
        for (const { alert } of kept) {
          if (format === 'ndjson') out.write(`${JSON.stringify(alert)}\n`)
          else if (format === 'json') alerts.push(alert)
        }
        for (const group of groupAlerts(kept)) {
          if (format !== 'ndjson' && format !== 'json') out.write(renderTextSafely(group.alert, [group.target.channel]))
          if (sink) {
            await sink.deliver(group.alert, group.target).catch((err: unknown) => {
              failed += 1
              io.stderr.write(`Slack: ${err instanceof Error ? err.message : String(err)}\n`)
            })
          }
        }
        matched += kept.length
        if (matched >= limit) break outer
        bar.update(summary.files, summary.records, matched)
      }
    }
    out.flush()
    bar.done()
    await sink?.close()
    if (format === 'json') io.stdout.write(`${JSON.stringify({ alerts, summary }, null, 2)}\n`)
    else io.stderr.write(formatSummary(summary))
    return summary.damagedFiles.length > 0 || failed > 0 ? EXIT.findings : EXIT.ok
  },
}
