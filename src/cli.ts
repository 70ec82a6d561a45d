#!/usr/bin/env node
// The executable: hands argv to the command table and turns its answer into an exit code.
import { main } from './commands/main.js'

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    process.stderr.write(`trailwarden: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exitCode = 1
  },
)
