import { busPattern } from '../core/rules/busPattern.js'
import type { Command } from './io.js'
import { parseArgs } from 'node:util'
import { loadForCommand, RULE_OPTIONS } from './ruleOptions.js'

export const patternCommand: Command = {
  summary: 'print the EventBridge event pattern that lets through exactly what the rules can match',
  usage: 'trailwarden pattern [--rules DIR] [--config FILE]',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: RULE_OPTIONS, allowPositionals: true })
    const bundle = await loadForCommand(values, io, Date.now())
    if (!bundle?.ruleSet) return 1
    const result = busPattern(bundle.ruleSet)
    io.stdout.write(`${JSON.stringify(result.pattern, null, 2)}\n`)
    if (result.unconstrained.length > 0)
      io.stderr.write(`note: every ECS event name passes, because these rules name no eventName list: ${result.unconstrained.join(', ')}\n`)
    for (const [id, ext] of Object.entries(result.extensions))
      io.stderr.write(`note: ${id} uses trailwarden extensions (${ext.join(', ')}); its patterns are not valid EventBridge patterns as written\n`)
    return 0
  },
}
