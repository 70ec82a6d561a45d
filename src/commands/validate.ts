import { loadRuleBundle } from '../config/loadRules.js'
import { formatProblem } from '../core/rules/language/yamlSource.js'
import type { Command } from './io.js'
import { parseArgs } from 'node:util'
import { RULE_OPTIONS, rulePaths } from './ruleOptions.js'

export const validateCommand: Command = {
  summary: 'check every rule file and the config; list every problem as file:line:col',
  usage: 'trailwarden validate [--rules DIR] [--config FILE]',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: RULE_OPTIONS, allowPositionals: true })
    const bundle = await loadRuleBundle({ ...rulePaths(values, io), now: Date.now() })
    for (const p of bundle.problems) io.stdout.write(`${formatProblem(p)}\n`)
    const errors = bundle.problems.filter((p) => p.severity === 'error').length
    const warnings = bundle.problems.length - errors
    const rules = bundle.ruleSet?.rules.length ?? 0
    io.stdout.write(
      `${bundle.files} rule file${bundle.files === 1 ? '' : 's'}, ${rules} valid rule${rules === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${bundle.ruleSet ? ` (rule set ${bundle.ruleSet.hash})` : ''}\n`,
    )
    return errors > 0 ? 1 : 0
  },
}
