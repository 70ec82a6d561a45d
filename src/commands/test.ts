import { runRuleTests } from '../core/rules/ruleTests/runRuleTests.js'
import { type Command, EXIT } from './io.js'
import { parseArgs } from 'node:util'
import { loadForCommand, RULE_OPTIONS } from './ruleOptions.js'

const OPTIONS = { ...RULE_OPTIONS, verbose: { type: 'boolean', short: 'v', description: 'print every passing case too' } } as const

export const testCommand: Command = {
  options: OPTIONS,
  summary: 'run every rule\'s test cases; a rule needs at least one match and one no-match case',
  usage: 'trailwarden test [--rules DIR] [--config FILE] [--verbose]',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true })
    const now = io.now?.() ?? Date.now()
    const bundle = await loadForCommand(values, io, now)
    if (!bundle?.ruleSet) return EXIT.usage
    const report = runRuleTests(bundle.ruleSet, {
      now,
      settings: bundle.settings,
      eventFiles: bundle.eventFiles,
    })
    for (const c of report.cases) {
      if (c.status === 'failed') io.stdout.write(`FAIL ${c.rule.file} ${c.rule.id} › ${c.name}: ${c.reason}\n`)
      else if (c.status === 'lapsed') io.stdout.write(`LAPSED ${c.rule.file} ${c.rule.id} › ${c.name} (${c.reason})\n`)
      else if (values.verbose) io.stdout.write(`ok   ${c.rule.id} › ${c.name}\n`)
    }
    for (const u of report.untested)
      io.stdout.write(`FAIL ${u.rule.file} ${u.rule.id}: no ${u.missing.join(' and no ')} test case — add one under tests:\n`)
    // CI reads the closing line exactly ('N passed, N failed'): lapsed cases are counted on a line of their own before it.
    if (report.lapsed > 0) io.stdout.write(`${report.lapsed} lapsed (an exception expired: extend or remove it)\n`)
    io.stdout.write(`${report.passed} passed, ${report.failed} failed\n`)
    return report.failed > 0 ? EXIT.findings : EXIT.ok
  },
}
