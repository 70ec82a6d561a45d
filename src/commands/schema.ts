import { configSchema } from '../config/configSchema.js'
import { ruleSchema } from '../core/rules/language/ruleSchema.js'
import { jsonSchemaOf } from '../core/rules/language/jsonSchemaOf.js'
import type { Command } from './io.js'
import { parseArgs } from 'node:util'

const OPTIONS = { 'config-schema': { type: 'boolean', description: 'the schema of trailwarden.yaml instead of a rule file\'s' } } as const

export const schemaCommand: Command = {
  options: OPTIONS,
  summary: 'print the JSON Schema of rule files (or of trailwarden.yaml with --config-schema), for editors',
  usage: 'trailwarden schema [--config-schema]',
  run(argv, io) {
    const { values } = parseArgs({ args: argv, options: OPTIONS })
    const schema = values['config-schema'] ? jsonSchemaOf(configSchema, 'trailwarden.yaml') : jsonSchemaOf(ruleSchema, 'trailwarden rule')
    io.stdout.write(`${JSON.stringify(schema, null, 2)}\n`)
    return Promise.resolve(0)
  },
}
