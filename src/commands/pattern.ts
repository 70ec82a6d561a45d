import { parseArgs } from 'node:util'
import { PutRuleCommand } from '@aws-sdk/client-eventbridge'
import { busPattern } from '../core/rules/bus/busPattern.js'
import { jsonDiff } from '../core/rules/bus/patternDrift.js'
import { checkBusRule } from '../sources/checkBusRule.js'
import { createEventBridgeClient } from './clients.js'
import { type Command, EXIT } from './io.js'
import { loadForCommand, RULE_OPTIONS } from './ruleOptions.js'

const OPTIONS = {
  ...RULE_OPTIONS,
  'check': { type: 'boolean', description: 'compare the deployed EventBridge rule (DescribeRule) with what the rules need; exit 1 on drift' },
  'rule': { type: 'string', value: 'NAME', description: 'the EventBridge rule that feeds the queue (with --check or --apply)' },
  'bus': { type: 'string', value: 'BUS', default: 'default', description: 'that rule\'s event bus' },
  'apply': { type: 'boolean', description: 'print the before/after diff and write the needed pattern (PutRule), keeping state, description and targets' },
  'dry-run': { type: 'boolean', description: 'with --apply: print the diff, write nothing' },
} as const

export const patternCommand: Command = {
  options: OPTIONS,
  summary: 'print the EventBridge pattern the rules need; --check compares the deployed bus rule, --apply updates it',
  usage: 'trailwarden pattern [--check --rule NAME [--bus default] [--apply [--dry-run]]] [--rules DIR] [--config FILE]',
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: OPTIONS,
    })
    const bundle = await loadForCommand(values, io, Date.now())
    if (!bundle?.ruleSet) return EXIT.usage
    const result = busPattern(bundle.ruleSet)
    if (!values.check && !values.apply) {
      io.stdout.write(`${JSON.stringify(result.pattern, null, 2)}\n`)
      if (result.unconstrained.length > 0) io.stderr.write(`note: every ECS event name passes, because these rules name no eventName list: ${result.unconstrained.join(', ')}\n`)
      for (const [id, ext] of Object.entries(result.extensions))
        io.stderr.write(`note: ${id} uses trailwarden extensions (${ext.join(', ')}); its patterns are not valid EventBridge patterns as written\n`)
      return EXIT.ok
    }
    if (!values.rule) {
      io.stderr.write('--check and --apply need --rule NAME (the EventBridge rule that feeds the queue)\n')
      return EXIT.usage
    }
    const client = createEventBridgeClient(io.env.AWS_REGION)
    const where = { bus: values.bus, rule: values.rule }
    let check
    try {
      check = await checkBusRule(client, where, bundle.ruleSet)
    } catch (err) {
      // Not a finding: the check could not be made (exit 2), unlike a drift (exit 1).
      io.stderr.write(`DescribeRule ${values.rule} on bus ${values.bus} failed: ${err instanceof Error ? err.message : String(err)}\n`)
      return EXIT.usage
    }
    for (const p of check.drift.problems) io.stdout.write(`drift: ${p}\n`)
    if (!values.apply) {
      io.stdout.write(check.drift.problems.length === 0 ? `in step: ${values.rule} lets through everything the rules need\n` : `${check.drift.problems.length} problem(s): run with --apply to write the pattern\n`)
      return check.drift.problems.length === 0 ? EXIT.ok : EXIT.findings
    }
    const before = check.deployed.EventPattern ? (JSON.parse(check.deployed.EventPattern) as unknown) : undefined
    const diff = jsonDiff(before ?? {}, result.pattern)
    io.stdout.write(diff ? `${diff}\n` : 'the deployed pattern already equals the needed one\n')
    if (values['dry-run'] || !diff) return EXIT.ok
    // PutRule replaces the rule's definition: keep its state, bus, description and role; targets are untouched.
    await client.send(
      new PutRuleCommand({
        Name: values.rule,
        EventBusName: values.bus,
        EventPattern: JSON.stringify(result.pattern),
        ...(check.deployed.State ? { State: check.deployed.State } : {}),
        ...(check.deployed.Description ? { Description: check.deployed.Description } : {}),
        ...(check.deployed.RoleArn ? { RoleArn: check.deployed.RoleArn } : {}),
      }),
    )
    io.stdout.write(`wrote the pattern to ${values.rule}\n`)
    return EXIT.ok
  },
}
