import { mkdirSync, writeFileSync } from 'node:fs'
import { buildApp } from './app.js'

/** Writes the synthesized CloudFormation templates to deploy/template/ for users without CDK (CI checks they are current). */
const assembly = buildApp().synth()
mkdirSync('template', { recursive: true })
for (const stack of assembly.stacks) writeFileSync(`template/${stack.stackName}.template.json`, `${JSON.stringify(stack.template, null, 1)}\n`)
console.log(assembly.stacks.map((s) => `template/${s.stackName}.template.json`).join('\n'))
