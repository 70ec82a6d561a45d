import { parseArgs } from 'node:util'
import { demoCommand } from './demo.js'
import { runCommand } from './run.js'
import { replayCommand } from './replay.js'
import { backtestCommand } from './backtest.js'
import { explainCommand } from './explain.js'
import { patternCommand } from './pattern.js'
import { schemaCommand } from './schema.js'
import { testCommand } from './test.js'
import { validateCommand } from './validate.js'
import { type Command, type CommandIO, processIO } from './io.js'

/** argv → a command; nothing else happens here. */
export const commands: Record<string, Command> = {
  run: runCommand,
  demo: demoCommand,
  validate: validateCommand,
  test: testCommand,
  explain: explainCommand,
  schema: schemaCommand,
  pattern: patternCommand,
  replay: replayCommand,
  backtest: backtestCommand,
}

export function helpText(): string {
  const width = Math.max(...Object.keys(commands).map((k) => k.length))
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
  return `trailwarden — alerts on Amazon ECS changes your rules forbid\n\nUsage: trailwarden <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'trailwarden <command> --help' for a command's options.\n`
}

export async function main(argv: string[], io: CommandIO = processIO()): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv.slice(0, 1),
    options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } },
    allowPositionals: true,
    strict: false,
  })
  const verb = positionals[0]
  if (verb === undefined || values.help) {
    io.stdout.write(helpText())
    return verb === undefined && !values.help ? 2 : 0
  }
  const command = commands[verb]
  if (!command) {
    io.stderr.write(`trailwarden: unknown command '${verb}'\n\n${helpText()}`)
    return 2
  }
  const rest = argv.slice(1)
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`Usage: ${command.usage}\n\n${command.summary}\n`)
    return 0
  }
  return command.run(rest, io)
}
