#!/usr/bin/env node
// The executable: hands argv to the command table and turns its answer into an exit code.
import { main } from './commands/main.js'

// `trailwarden explain … | head`: the reader went away. That is the reader's choice, not an error to print.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw err
  })
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    process.stderr.write(`trailwarden: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exitCode = 1
  },
)
