/** What a command may touch of the outside world, passed in so tests can capture it. */
export interface CommandIO {
  stdin: NodeJS.ReadableStream
  stdout: NodeJS.WritableStream & { isTTY?: boolean }
  stderr: NodeJS.WritableStream & { isTTY?: boolean }
  env: NodeJS.ProcessEnv
  cwd: string
  /** The clock (ms) for what depends on the date (exception expiry in validate and test); tests fix it. Default: Date.now. */
  now?: () => number
}

export const processIO = (): CommandIO => ({
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
})

/**
 * One option of a verb: what node:util parseArgs takes (it ignores the rest), plus what `--help` prints. Every
 * option says what it does; `value` names its argument in the help (DIR, FILE, DATE…).
 */
export interface OptionSpec {
  type: 'string' | 'boolean'
  short?: string
  default?: string | boolean
  value?: string
  description: string
}

/**
 * The exit-code convention every verb follows: 0 ok; 1 findings (alerts found where the verb says so, failed rule
 * tests, a drifting bus rule, damaged archive files); 2 usage or configuration errors (unknown options, invalid rules
 * or config, a file that cannot be read, a service that cannot be reached, a refused start).
 */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const

/** A command's contract: argv after the verb in, exit code out. Commands never call process.exit. */
export interface Command {
  summary: string
  usage: string
  /** The options the verb's parseArgs takes, with their help. */
  options: Readonly<Record<string, OptionSpec>>
  /** Said after the options in `--help`: warnings, examples. */
  notes?: string
  run(argv: string[], io: CommandIO): Promise<number>
}

/** A verb's `--help`: usage, what it does, every option with its description, notes. */
export function commandHelp(command: Command): string {
  const rows = Object.entries(command.options).map(([option, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${option}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`
    const fallback = spec.default === undefined || spec.default === false ? '' : ` (default: ${String(spec.default)})`
    return [flag, `${spec.description}${fallback}`] as const
  })
  const width = Math.max(0, ...rows.map(([flag]) => flag.length))
  const options = rows.length > 0 ? `\nOptions:\n${rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`).join('\n')}\n` : ''
  return `Usage: ${command.usage}\n\n${command.summary}\n${options}${command.notes ? `\n${command.notes}\n` : ''}\nExit codes: 0 ok, 1 findings, 2 usage or configuration error. 'trailwarden help' lists every command.\n`
}

/** Where the package lives, so bundled rules and examples are found from any working directory. */
export const packageRoot = new URL('../../', import.meta.url)

/**
 * Lines gathered into writes of about 64 KiB: one write per alert was a twentieth of `trailwarden replay`'s time
 * on a large archive (npm run bench, P7). `flush` before anything else is printed, and at the end.
 */
export function batchedWriter(stream: NodeJS.WritableStream, limit = 64 * 1024) {
  let parts: string[] = []
  let size = 0
  const flush = () => {
    if (parts.length > 0) stream.write(parts.join(''))
    parts = []
    size = 0
  }
  return {
    write(text: string) {
      parts.push(text)
      size += text.length
      if (size >= limit) flush()
    },
    flush,
  }
}
