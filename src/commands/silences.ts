import { parseArgs } from 'node:util'
import { isActive } from '../core/silences/silence.js'
import { silenceLine, silencesYaml } from '../core/silences/silencesYaml.js'
import { SilenceBook } from '../sinks/slack/socket/silenceBook.js'
import { DynamoStateStore } from '../state/dynamoStateStore.js'
import type { StateStore } from '../state/stateStore.js'
import { createDynamoClient } from './clients.js'
import { type Command, EXIT } from './io.js'

/** Where the silences are: the shared store, or why there is none to read. */
export type OpenStore = (env: NodeJS.ProcessEnv) => { store: StateStore } | { problem: string }

/**
 * The daemon's table (TRAILWARDEN_STATE_TABLE, AWS_ENDPOINT_URL_DYNAMODB honoured by the SDK). Without it there is
 * nothing to read: the daemon's in-memory store lives in the daemon's own process, which no command can see.
 */
export const openSharedStore: OpenStore = (env) => env.TRAILWARDEN_STATE_TABLE
  ? { store: new DynamoStateStore(createDynamoClient(env.AWS_REGION), env.TRAILWARDEN_STATE_TABLE) }
  : { problem: 'silences live in the shared state store: set TRAILWARDEN_STATE_TABLE to the daemon\'s table (without it, each daemon keeps its silences in its own memory, which no other process can read)' }

const OPTIONS = {} as const

/** `trailwarden silences list|export`, reading the store `open` gives (tests pass an in-memory one). */
export function silencesCommandWith(open: OpenStore): Command {
  return {
    options: OPTIONS,
    summary: 'the silences made from Slack (SLACK_APP_TOKEN): `list` them, or `export` them as exception YAML to commit into the rules',
    usage: 'trailwarden silences list|export   (reads the shared state store: TRAILWARDEN_STATE_TABLE)',
    notes: 'export prints, for each rule id, the exceptions to paste under that rule\'s `unless:` (reason with the author and the exact end, expires as the last day, match on the silenced service, cluster or actor); `trailwarden validate` accepts the result.',
    async run(argv, io) {
      const { positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true })
      const verb = positionals[0]
      if ((verb !== 'list' && verb !== 'export') || positionals.length > 1) {
        io.stderr.write('trailwarden silences: say list or export — see \'trailwarden help silences\'\n')
        return EXIT.usage
      }
      const opened = open(io.env)
      if ('problem' in opened) {
        io.stderr.write(`trailwarden silences: ${opened.problem}\n`)
        return EXIT.usage
      }
      const now = io.now?.() ?? Date.now()
      let silences
      try {
        silences = await new SilenceBook(opened.store).read(now)
      } catch (err) {
        io.stderr.write(`trailwarden silences: the state store could not be read: ${err instanceof Error ? err.message : String(err)}\n`)
        return EXIT.usage
      }
      if (verb === 'export') {
        io.stdout.write(silencesYaml(silences, now))
        return EXIT.ok
      }
      const active = silences.filter((s) => isActive(s, now))
      for (const s of active) io.stdout.write(`${silenceLine(s)}\n`)
      io.stdout.write(`${active.length} active silence${active.length === 1 ? '' : 's'}\n`)
      return EXIT.ok
    },
  }
}

export const silencesCommand: Command = silencesCommandWith(openSharedStore)
