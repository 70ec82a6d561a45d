import { parseArgs } from 'node:util'
import { loadActiveSet } from '../daemon/loadActiveSet.js'
import { checkMentions } from './checkMentions.js'
import { type Command, EXIT } from './io.js'
import { RULE_OPTIONS, rulePaths } from './ruleOptions.js'

export const validateCommand: Command = {
  options: RULE_OPTIONS,
  summary: 'check the rule files and the config exactly as `run` does (schema, cross-references, rule tests, Slack settings); list every problem as file:line:col',
  usage: 'trailwarden validate [--rules DIR] [--config FILE]   (SLACK_BOT_TOKEN set: the config must name slack.defaultChannel, as run requires)',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: RULE_OPTIONS, allowPositionals: true })
    // The same loader and checks as `run` at start and on reload: a config run would refuse fails here, in the same words.
    const paths = rulePaths(values, io)
    const outcome = await loadActiveSet({ ...paths, now: io.now?.() ?? Date.now() }, { slack: Boolean(io.env.SLACK_BOT_TOKEN) })
    // Mentions: the user-group handles resolved as the daemon resolves them (checkMentions.ts).
    if (outcome.ok) {
      const mentions = await checkMentions(outcome.active, io.env, paths.configPath, () => io.now?.() ?? Date.now())
      outcome.problems.push(...mentions.problems)
      outcome.warnings.push(...mentions.warnings)
    }
    for (const line of [...outcome.problems, ...outcome.warnings]) io.stdout.write(`${line}\n`)
    const errors = outcome.problems.length
    const warnings = outcome.warnings.length
    const rules = outcome.rules
    // The lists file (rules/ecs/lists.yaml) is counted apart: "26 rule files" for 25 rules read as one rule lost.
    const listsFiles = outcome.listsFiles ?? 0
    const ruleFiles = outcome.files - listsFiles
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
    const lists = listsFiles > 0 ? `, ${plural(listsFiles, 'lists file')}` : ''
    io.stdout.write(
      `${plural(ruleFiles, 'rule file')}${lists}, ${rules} valid rule${rules === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${outcome.ok ? ` (rule set ${outcome.hash ?? '?'})` : ''}\n`,
    )
    return errors > 0 ? EXIT.findings : EXIT.ok
  },
}
