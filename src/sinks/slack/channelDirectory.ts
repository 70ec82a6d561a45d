import type { StateStore } from '../../state/stateStore.js'
import { memoryKey } from './memoryKey.js'

/** A conversation ID (public C…, private G…, direct D…): what conversations.history takes; a #name it does not. */
export const CONVERSATION_ID = /^[CGD][A-Z0-9]{2,}$/

/** How long a learned name → ID is shared in the store: renames are rare, and a stale one only costs a lookup. */
const SHARED_FOR_MS = 30 * 24 * 3_600_000
/** Channels come from the config and rules, not from events; the bound is for safety. */
const MAX_CHANNELS = 1_000

/**
 * Channel names → conversation IDs, learned from chat.postMessage's answers (Slack answers with the ID). Looking for a
 * message after a takeover (postedLookup.ts) needs the ID, and the replica taking over may not have posted to that
 * channel since it started, so each name's ID is also kept in the shared store (one write per channel and start).
 */
export class ChannelDirectory {
  private readonly ids = new Map<string, string>()

  constructor(private readonly options: { store?: StateStore | undefined, now: () => number }) {}

  learn(channel: string, id: string | undefined): void {
    if (id === undefined || !CONVERSATION_ID.test(id) || channel === id || this.ids.get(channel) === id) return
    if (this.ids.size >= MAX_CHANNELS) this.ids.clear()
    this.ids.set(channel, id)
    const { store, now } = this.options
    // Only if absent: the first replica to post records it; a failure only means another replica learns it itself.
    void store?.put(key(channel), { id }, now() + SHARED_FOR_MS, undefined, now()).catch(() => undefined)
  }

  async resolve(channel: string): Promise<string | undefined> {
    if (CONVERSATION_ID.test(channel)) return channel
    const known = this.ids.get(channel)
    if (known) return known
    const { store, now } = this.options
    const found = await store?.get(key(channel), now())
    const id = (found?.value as { id?: unknown } | undefined)?.id
    if (typeof id !== 'string' || !CONVERSATION_ID.test(id)) return undefined
    this.ids.set(channel, id)
    return id
  }
}

const key = (channel: string): string => `chan#${memoryKey(channel)}`
