import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { demoCommand } from './demo.js'
import { runCommand } from './run.js'
import { replayCommand } from './replay.js'
import { backtestCommand } from './backtest.js'
import { auditCommand } from './audit.js'
import { historyCommand } from './history.js'
import { sqlCommand } from './sql.js'
import { explainCommand } from './explain.js'
import { patternCommand } from './pattern.js'
import { schemaCommand } from './schema.js'
import { silencesCommand } from './silences.js'
import { testCommand } from './test.js'
import { validateCommand } from './validate.js'
import { type Command, commandHelp, type CommandIO, EXIT, packageRoot, processIO } from './io.js'

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
  audit: auditCommand,
  history: historyCommand,
  silences: silencesCommand,
  sql: sqlCommand,
}

export function helpText(): string {
  const width = Math.max(...Object.keys(commands).map((k) => k.length))
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
  return `trailwarden — alerts on Amazon ECS changes your rules forbid\n\nUsage: trailwarden <command> [options]\n       trailwarden help [command] | --help | --version\n\nCommands:\n${lines.join('\n')}\n\nRun 'trailwarden help <command>' for a command's options.\nExit codes: 0 ok, 1 findings (alerts, failed rule tests, drift, damaged files), 2 usage or configuration error.\n`
}

/** The package's version, from its package.json. */
export function version(): string {
  return (JSON.parse(readFileSync(new URL('package.json', packageRoot), 'utf8')) as { version: string }).version
}

/** node:util parseArgs failures: the user typed something the verb does not take. */
const isUsageError = (err: unknown): err is Error & { code: string } => {
  const code: unknown = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')
}

export async function main(argv: string[], io: CommandIO = processIO()): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv.slice(0, 1),
    options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'V' } },
    allowPositionals: true,
    strict: false,
  })
  if (values.version) {
    io.stdout.write(`trailwarden ${version()}\n`)
    return EXIT.ok
  }
  let verb = positionals[0]
  if (verb === undefined || values.help) {
    io.stdout.write(helpText())
    return verb === undefined && !values.help ? EXIT.usage : EXIT.ok
  }
  let rest = argv.slice(1)
  if (verb === 'help') {
    if (rest[0] === undefined) {
      io.stdout.write(helpText())
      return EXIT.ok
    }
    verb = rest[0]
    rest = ['--help']
  }
  const command = Object.hasOwn(commands, verb) ? commands[verb] : undefined
  if (!command) {
    io.stderr.write(`trailwarden: unknown command '${verb}'\n\n${helpText()}`)
    return EXIT.usage
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(commandHelp(command))
    return EXIT.ok
  }
  try {
    return await command.run(rest, io)
  } catch (err) {
    if (!isUsageError(err)) throw err
    io.stderr.write(`trailwarden ${verb}: ${err.message} — see 'trailwarden help ${verb}'\n`)
    return EXIT.usage
  }
}
