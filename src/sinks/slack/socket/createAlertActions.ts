import { randomBytes } from 'node:crypto'
import type { SocketModeClient } from '@slack/socket-mode'
import type { WebClient } from '@slack/web-api'
import type { Logger } from 'pino'
import type { Alert } from '../../../core/alerts/alert.js'
import type { EventContext } from '../../../core/intake/types.js'
import type { Silence } from '../../../core/silences/silence.js'
import type { ComponentStatus, HasStatus } from '../../../health/componentStatus.js'
import type { StateStore } from '../../../state/stateStore.js'
import { AlertRecords } from './alertRecords.js'
import { Authoriser } from './authoriser.js'
import { createInteractionHandler } from './interactionHandler.js'
import { SilenceBook } from './silenceBook.js'
import { announceEndedSilences } from './silenceEndings.js'
import { createSocketConnection, type SocketConnection } from './socketConnection.js'

export interface AlertActionsOptions {
  /** The Socket Mode client (SLACK_APP_TOKEN), built by the command layer with autoReconnectEnabled: false. */
  socket: SocketModeClient
  /** The bot's Web API client (chat.update, views.open, chat.postEphemeral, usergroups.list). */
  client: WebClient
  /** Shared by every replica: silences, alert records, envelope ids. */
  store: StateStore
  log: Logger
  now?: () => number
  /** How often the silences are read again from the store (what another replica made applies within this). */
  refreshMs?: number
  /** How often ended silences are looked for, to announce them. */
  endingsMs?: number
  reconnect?: { baseMs: number, capMs: number }
  /** This replica's name in claims. */
  owner?: string
}

/** Acknowledge / Silence / That was me over Socket Mode, and the silences they make, as the daemon composes them. */
export interface AlertActions extends HasStatus {
  /** Connect, and keep the silences fresh; `allowed` is read on every click (it reloads with trailwarden.yaml). */
  start(allowed: () => readonly string[]): void
  stop(): Promise<void>
  /** The silences as last read (the decision step's input). */
  silences(): readonly Silence[]
  /** Read the silences from the store now. */
  refresh(): Promise<readonly Silence[]>
  /** Keep what the alert's buttons need (called for every alert decided, before delivery), scopes from the event's context. */
  remember(alert: Alert, context?: Pick<EventContext, 'ecs' | 'actor'>): void
  connection: SocketConnection
}

export function createAlertActions(options: AlertActionsOptions): AlertActions {
  const { client, store, log, now = Date.now } = options
  const owner = options.owner ?? `actions-${randomBytes(4).toString('hex')}`
  const records = new AlertRecords(store)
  const book = new SilenceBook(store)
  let current: readonly Silence[] = []
  let readFailure: string | undefined
  let allowed: () => readonly string[] = () => []
  const authoriser = new Authoriser(client, () => allowed(), now)
  const handler = createInteractionHandler({
    client,
    records,
    book,
    authoriser,
    onSilences: (list) => { current = list },
    log: log.child({ component: 'slack-actions' }),
    now,
    newId: () => randomBytes(8).toString('hex'),
  })
  const connection = createSocketConnection({ client: options.socket, store, handler, log: log.child({ component: 'slack-socket' }), now, reconnect: options.reconnect })
  const timers: NodeJS.Timeout[] = []

  async function refresh(): Promise<readonly Silence[]> {
    try {
      current = await book.read(now())
      readFailure = undefined
    } catch (err) {
      // Keep the last silences read: forgetting them would post what people silenced; the status says so.
      const failure = err instanceof Error ? err.message.slice(0, 200) : 'error'
      // Once per change of cause, not once a second while the store is down.
      if (failure !== readFailure) log.warn({ err: failure }, 'could not read the silences from the state store; keeping the last ones read')
      readFailure = failure
    }
    return current
  }

  return {
    name: 'slack-socket',
    connection,
    status(at): ComponentStatus {
      const s = connection.status(at)
      return readFailure ? { ...s, warnings: [...(s.warnings ?? []), `silences could not be read from the state store: ${readFailure}`] } : s
    },
    start(allowedUsers) {
      allowed = allowedUsers
      void refresh()
      connection.start()
      timers.push(setInterval(() => { void refresh() }, options.refreshMs ?? 1_000))
      timers.push(setInterval(() => {
        void announceEndedSilences(current, { client, store, records, owner, log, now: now() }).catch(() => undefined)
      }, options.endingsMs ?? 30_000))
      for (const t of timers) t.unref()
    },
    async stop() {
      for (const t of timers) clearInterval(t)
      await connection.stop()
    },
    silences: () => current,
    refresh,
    remember(alert, context) {
      records.remember(alert, context, now()).catch((err: unknown) => {
        log.warn({ eventKey: alert.eventKey, rule: alert.ruleId, err: err instanceof Error ? err.message.slice(0, 200) : 'error' }, 'could not keep the alert for its buttons; they will answer that it is unknown')
      })
    },
  }
}
