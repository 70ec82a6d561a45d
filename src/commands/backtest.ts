import { createChangeTracker } from '../core/change/createChangeTracker.js'
import { parseArgs } from 'node:util'
import { loadRuleBundle } from '../config/loadRules.js'
import { decide } from '../core/decide/decide.js'
import { normaliseEach } from '../core/intake/readEvents.js'
import { backtestMarkdown, backtestText, createBacktest } from '../core/replay/backtestDiff.js'
import { activeSetOf } from '../daemon/activeSet.js'
import { formatProblem } from '../core/rules/language/yamlSource.js'
import { readArchive } from '../sources/readArchive.js'
import { archiveRecords, progress, timeWindow, WINDOW_OPTIONS } from './archiveOptions.js'
import { type Command, EXIT } from './io.js'

const OPTIONS = {
  'base': { type: 'string', value: 'DIR', description: 'the rules before the change (e.g. a checkout of the main branch)' },
  'head': { type: 'string', value: 'DIR', description: 'the rules after the change' },
  'config': { type: 'string', value: 'FILE', description: 'trailwarden.yaml for both sides (default: TRAILWARDEN_CONFIG)' },
  ...WINDOW_OPTIONS,
  'format': { type: 'string', value: 'text|markdown', default: 'text', description: 'markdown for a pull-request comment' },
  'fail-on-increase': { type: 'string', value: 'N', description: 'exit 1 when the change adds more than N alerts over the archive' },
} as const

export const backtestCommand: Command = {
  options: OPTIONS,
  summary: 'run two rule sets over the same archive in one pass and show what the change would change',
  usage: 'trailwarden backtest --base DIR --head DIR PATH… [--config FILE] [--since DATE] [--until DATE] [--format text|markdown] [--fail-on-increase N]',
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: OPTIONS,
    })
    const window = timeWindow(values.since, values.until)
    const failOn = values['fail-on-increase'] === undefined ? undefined : Number(values['fail-on-increase'])
    if (!values.base || !values.head || positionals.length === 0 || 'error' in window || (failOn !== undefined && Number.isNaN(failOn))) {
      io.stderr.write(`${'error' in window ? `${window.error}\n` : ''}usage: ${this.usage}\n`)
      return EXIT.usage
    }
    const configPath = values.config ?? (io.env.TRAILWARDEN_CONFIG || undefined)
    const now = Date.now()
    const [base, head] = await Promise.all([
      loadRuleBundle({ rulesDir: values.base, configPath, now }),
      loadRuleBundle({ rulesDir: values.head, configPath, now }),
    ])
    for (const [name, b] of [['base', base], ['head', head]] as const) {
      for (const p of b.problems.filter((x) => x.severity === 'error')) io.stderr.write(`${name}: ${formatProblem(p)}\n`)
    }
    if (!base.ruleSet || !head.ruleSet) return EXIT.usage
    const backtest = createBacktest(base.ruleSet.rules.map((r) => r.id), head.ruleSet.rules.map((r) => r.id))
    // Each side is decided as the daemon would: what counts is what would be notified (and a shadow rule's matches,
    // shown as such), through the same decision step.
    const baseSet = activeSetOf(base.ruleSet, base.config, base.settings).decision
    const headSet = activeSetOf(head.ruleSet, head.config, head.settings).decision
    const judgeAt = (e: { record: { eventTime: string } }) => Date.parse(e.record.eventTime)
    const bar = progress(io.stderr)
    let damaged = 0
    let files = 0
    let current: string | undefined
    const onError = (e: { file: string, message: string }) => {
      damaged += 1
      io.stderr.write(`${e.file}: ${e.message}\n`)
    }
    const changes = createChangeTracker()
    for await (const body of readArchive(positionals, onError, io.stdin)) {
      if (body.file !== current) {
        current = body.file
        files += 1
      }
      for (const input of archiveRecords(body, head.config.intake.maxDepth, onError).records) {
        const at = Date.parse(input.record.eventTime)
        if (at < window.from || at > window.to) continue
        const [event] = normaliseEach([input], head.settings).events
        if (!event) continue
        // Both rule sets judge the same change, derived offline from earlier records of the archive.
        changes.apply(event)
        const ids = (set: typeof baseSet) => {
          const d = decide([event], set, { now, judgeAt })
          return [...new Set([...d.alerts.map((a) => a.alert.ruleId), ...d.shadowed.map((x) => x.rule.id)])]
        }
        backtest.add(event, ids(baseSet), ids(headSet))
      }
      bar.update(files, backtest.result().records, 0)
    }
    bar.done()
    const result = backtest.result()
    io.stdout.write(values.format === 'markdown' ? backtestMarkdown(result) : backtestText(result))
    const increase = result.rules.reduce((s, r) => s + r.head - r.base, 0)
    if (failOn !== undefined && increase > failOn) {
      io.stderr.write(`matches increased by ${increase}, more than --fail-on-increase ${failOn}\n`)
      return EXIT.findings
    }
    return damaged > 0 ? EXIT.findings : EXIT.ok
  },
}
