import { loadRuleBundle, type RuleBundle } from '../config/loadRules.js'
import { formatProblem } from '../core/rules/language/yamlSource.js'
import type { CommandIO, OptionSpec } from './io.js'

/** --rules and --config, shared by every command that reads rules. Defaults from the environment. */
export const RULE_OPTIONS = {
  rules: { type: 'string', value: 'DIR', description: 'folder of rule files (default: TRAILWARDEN_RULES, else ./rules)' },
  config: { type: 'string', value: 'FILE', description: 'trailwarden.yaml (default: TRAILWARDEN_CONFIG, else none: the built-in defaults)' },
} as const satisfies Record<string, OptionSpec>

export function rulePaths(values: { rules?: string | boolean | undefined, config?: string | boolean | undefined }, io: CommandIO) {
  const rulesDir = (typeof values.rules === 'string' ? values.rules : undefined) ?? io.env.TRAILWARDEN_RULES ?? 'rules'
  const configPath = (typeof values.config === 'string' ? values.config : undefined) ?? (io.env.TRAILWARDEN_CONFIG || undefined)
  const defaultChannel = io.env.TRAILWARDEN_SLACK_DEFAULT_CHANNEL?.trim() || undefined
  return { rulesDir, configPath, defaultChannel }
}

/** Load rules for a command that needs a valid set: prints every problem and returns undefined when invalid. */
export async function loadForCommand(values: Parameters<typeof rulePaths>[0], io: CommandIO, now: number): Promise<RuleBundle | undefined> {
  const bundle = await loadRuleBundle({ ...rulePaths(values, io), now })
  for (const p of bundle.problems) io.stderr.write(`${formatProblem(p)}\n`)
  if (!bundle.ruleSet) {
    io.stderr.write('the rules are invalid: fix the problems above (trailwarden validate lists them)\n')
    return undefined
  }
  return bundle
}
