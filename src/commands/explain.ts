import { readFile } from 'node:fs/promises'
import { gunzipSync } from 'node:zlib'
import { changeLines } from '../core/alerts/renderChange.js'
import { clean } from '../core/alerts/mrkdwn.js'
import { createChangeTracker } from '../core/change/createChangeTracker.js'
import { readEvents } from '../core/intake/readEvents.js'
import { explain, type Verdict } from '../core/rules/engine/evaluate.js'
import { shortJson } from '../core/rules/language/shortJson.js'
import { type Command, EXIT } from './io.js'
import { parseArgs } from 'node:util'
import { loadForCommand, RULE_OPTIONS } from './ruleOptions.js'

const short = (v: unknown) => shortJson(v, 100)

function describeVerdict(v: Verdict): string {
  switch (v.outcome) {
    case 'matched':
      return `matched      ${v.rule.id} (${v.severity}${v.rule.mode === 'shadow' ? ', shadow' : ''}): ${v.rule.title}${v.expiredExceptions.length ? ` [expired exception: ${v.expiredExceptions.map((e) => `"${e.reason}" until ${e.expiry.date}`).join(', ')}]` : ''}`
    case 'suppressed':
      return `suppressed   ${v.rule.id}: by exception #${v.exception.index + 1} "${v.exception.reason}"${v.exception.expiry ? ` (until ${v.exception.expiry.date})` : ''}`
    case 'not-matched':
      return `not matched  ${v.rule.id}: ${v.mismatch.field} is ${short(v.mismatch.actual)}, the rule wants ${short(v.mismatch.expected)}`
  }
}

const OPTIONS = {
  ...RULE_OPTIONS,
  rule: { type: 'string', value: 'ID', description: 'explain this rule only' },
  format: { type: 'string', value: 'text|json', default: 'text', description: 'text for people, json for tools' },
} as const

export const explainCommand: Command = {
  options: OPTIONS,
  summary: 'show, rule by rule, whether an event matches, is suppressed, or why not',
  usage: 'trailwarden explain EVENT.json [--rule ID] [--format text|json] [--rules DIR] [--config FILE]',
  async run(argv, io) {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true })
    const path = positionals[0]
    if (!path) {
      io.stderr.write(`usage: ${this.usage}\n`)
      return EXIT.usage
    }
    // The event first: a missing file is the answer, whatever the rules say.
    let text: string
    try {
      const bytes = await readFile(path)
      // A .json.gz archive file (or any gzip: its magic bytes) is read as it comes from the CloudTrail bucket.
      text = (path.endsWith('.gz') || (bytes[0] === 0x1f && bytes[1] === 0x8b) ? gunzipSync(bytes, { maxOutputLength: 64 * 1024 * 1024 }) : bytes).toString('utf8')
    } catch (err) {
      const code = (err as { code?: string }).code
      io.stderr.write(`${path}: ${code === 'ENOENT' ? 'file not found' : `cannot read: ${err instanceof Error ? err.message : String(err)}`}\n`)
      return EXIT.usage
    }
    const now = Date.now()
    const bundle = await loadForCommand(values, io, now)
    const ruleSet = bundle?.ruleSet
    if (!bundle || !ruleSet) return EXIT.usage
    if (values.rule && !ruleSet.rules.some((r) => r.id === values.rule)) {
      io.stderr.write(`no rule with id '${values.rule}'\n`)
      return EXIT.usage
    }
    const { events, rejections } = readEvents(text, bundle.settings, { maxBodyBytes: 64 * 1024 * 1024, maxDepth: 64 })
    for (const r of rejections) io.stderr.write(`${path}${r.index !== undefined ? ` record ${r.index}` : ''}: cannot read: ${r.message} (${r.reason})\n`)
    // The change context offline: each record's "before" from the file's earlier records (a pair of UpdateService
    // events explains `change.desiredCount`), never from ECS.
    const changes = createChangeTracker()
    for (const event of events) changes.apply(event)
    const results = events.map((event) => ({ event, verdicts: explain(ruleSet, event, now, values.rule) }))
    if (values.format === 'json') {
      io.stdout.write(
        `${JSON.stringify(
          results.map(({ event, verdicts }) => ({
            eventKey: event.context.eventKey,
            eventName: event.record.eventName,
            context: event.context,
            rules: verdicts.map((v) => ({
              id: v.rule.id,
              outcome: v.outcome,
              ...(v.outcome === 'not-matched' ? { mismatch: v.mismatch } : {}),
              ...(v.outcome === 'suppressed' ? { exception: { index: v.exception.index, reason: v.exception.reason } } : {}),
            })),
          })),
          null,
          2,
        )}\n`,
      )
    } else {
      for (const { event, verdicts } of results) {
        const { actor, env, account, region } = event.context
        io.stdout.write(
          `${event.record.eventName} at ${event.record.eventTime} by ${actor.name ?? actor.arn ?? 'unknown'} (${actor.type}, via ${actor.via}${actor.mfa === undefined ? '' : actor.mfa ? ', MFA' : ', no MFA'}) in ${account ?? '?'}/${region ?? '?'}${env ? ` env ${env}` : ''}\n`,
        )
        // What the call changed (the "Changed" section of its alerts), redacted and without control characters.
        for (const [i, line] of (changeLines(event.context.change) ?? []).entries()) io.stdout.write(`  ${i === 0 ? 'changed ' : '        '} ${clean(line, 300)}\n`)
        for (const v of verdicts) io.stdout.write(`  ${describeVerdict(v)}\n`)
      }
    }
    return rejections.length > 0 && events.length === 0 ? EXIT.usage : EXIT.ok
  },
}
