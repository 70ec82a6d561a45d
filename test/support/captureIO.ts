import { PassThrough } from 'node:stream'
import type { CommandIO } from '../../src/commands/io.js'
import { main } from '../../src/commands/main.js'

/** Run the CLI in-process with captured output; `now` fixes the clock of the commands that read it. */
export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv = {},
  stdinText?: string,
  options: { now?: () => number } = {},
): Promise<{ code: number, stdout: string, stderr: string }> {
  const out: string[] = []
  const err: string[] = []
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  stdout.on('data', (c: Buffer) => out.push(c.toString()))
  stderr.on('data', (c: Buffer) => err.push(c.toString()))
  const stdin = new PassThrough()
  stdin.end(stdinText ?? '')
  const io: CommandIO = { stdin, stdout, stderr, env, cwd: process.cwd() }
  if (options.now) io.now = options.now
  const code = await main(argv, io)
  return { code, stdout: out.join(''), stderr: err.join('') }
}
