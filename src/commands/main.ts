import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { type Command, commandHelp, type CommandIO, EXIT, packageRoot, processIO } from './io.js'

/**
 * argv → a command; nothing else happens here. Each verb's module is imported only when that verb runs: together
 * they load every AWS SDK client, Slack, fastify and pino (about a second of start-up), and an `audit` or a
 * `replay` needs none of that unless it posts to Slack.
 */
export const commandLoaders: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./run.js')).runCommand,
  demo: async () => (await import('./demo.js')).demoCommand,
  validate: async () => (await import('./validate.js')).validateCommand,
  test: async () => (await import('./test.js')).testCommand,
  explain: async () => (await import('./explain.js')).explainCommand,
  schema: async () => (await import('./schema.js')).schemaCommand,
  pattern: async () => (await import('./pattern.js')).patternCommand,
  replay: async () => (await import('./replay.js')).replayCommand,
  backtest: async () => (await import('./backtest.js')).backtestCommand,
  audit: async () => (await import('./audit.js')).auditCommand,
  history: async () => (await import('./history.js')).historyCommand,
  silences: async () => (await import('./silences.js')).silencesCommand,
  sql: async () => (await import('./sql.js')).sqlCommand,
}

/** Every verb, loaded (for the overview help and the tests of the CLI convention). */
export async function loadCommands(): Promise<Record<string, Command>> {
  const entries = await Promise.all(Object.entries(commandLoaders).map(async ([name, load]) => [name, await load()] as const))
  return Object.fromEntries(entries)
}

export async function helpText(): Promise<string> {
  const commands = await loadCommands()
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
    io.stdout.write(await helpText())
    return verb === undefined && !values.help ? EXIT.usage : EXIT.ok
  }
  let rest = argv.slice(1)
  if (verb === 'help') {
    if (rest[0] === undefined) {
      io.stdout.write(await helpText())
      return EXIT.ok
    }
    verb = rest[0]
    rest = ['--help']
  }
  const command = Object.hasOwn(commandLoaders, verb) ? await commandLoaders[verb]?.() : undefined
  if (!command) {
    io.stderr.write(`trailwarden: unknown command '${verb}'\n\n${await helpText()}`)
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
