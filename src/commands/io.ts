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

/** A command's contract: argv after the verb in, exit code out. Commands never call process.exit. */
export interface Command {
  summary: string
  usage: string
  run(argv: string[], io: CommandIO): Promise<number>
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
