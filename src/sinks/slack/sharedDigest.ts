import type { SlackMessage } from '../../core/alerts/slackBlocks.js'
import type { StateStore } from '../../state/stateStore.js'
import { StateUnavailable } from '../../state/stateUnavailable.js'
import { DeliveryError } from '../deliveryError.js'
import { memoryKey } from './memoryKey.js'
import type { PostedLookup } from './postedLookup.js'
import type { SlackPoster } from './slackPoster.js'

/**
 * A storm digest posted once per channel and digest interval across replicas (#19). The interval is cut on the
 * wall clock (floor(now / interval)), which every replica shares: the first replica to flush in it claims the slot and
 * posts the digest; another replica flushing in the same interval posts its own alerts' digest as a reply in that
 * digest's thread, so the channel still gets one top-level digest and every alert is counted. While the first
 * replica is still posting, the others' alerts go back to the queue for a moment (digest_pending).
 */
export async function postDigestOnce(options: SharedDigestOptions, channel: string, message: SlackMessage): Promise<string> {
  const { now, intervalMs, running } = options
  const key = `digest#${memoryKey(channel, String(intervalMs), String(Math.floor(now() / intervalMs)))}`
  // One flush at a time per slot in this process: a claim is re-entrant for its owner, so a second flush started
  // while the first is still posting (the storm timer does not wait) would otherwise post a second top-level digest.
  const before = running.get(key) ?? Promise.resolve()
  const mine = before.catch(() => undefined).then(() => postInSlot(options, key, channel, message))
  const settled = mine.catch(() => undefined)
  running.set(key, settled)
  void settled.then(() => {
    if (running.get(key) === settled) running.delete(key)
  })
  return mine
}

export interface SharedDigestOptions {
  store: StateStore
  owner: string
  now: () => number
  intervalMs: number
  poster: SlackPoster
  /** Where a takeover of a slot looks for the digest its dead owner may have posted. */
  lookup?: PostedLookup
  /** Flushes in progress in this process, by slot. */
  running: Map<string, Promise<unknown>>
  onUnverified?: (reason: string) => void
}

async function postInSlot(options: SharedDigestOptions, key: string, channel: string, message: SlackMessage): Promise<string> {
  const { store, owner, now, intervalMs, poster } = options
  try {
    const claim = await store.claim(key, owner, 60_000, now())
    if (claim.kind === 'delivered' && claim.record.ts !== undefined) return (await poster.post(channel, message, claim.record.ts)).ts
    if (claim.kind === 'held') {
      throw new DeliveryError('retryable', channel, 'digest_pending', `another replica is posting this minute's digest in ${channel}`, claim.until)
    }
    if (claim.kind === 'claimed' && claim.earlier && options.lookup) {
      // The slot's earlier owner died: if its digest landed, this flush replies in its thread, as above.
      const seen = await options.lookup.find(channel, key, claim.earlier)
      if (seen.kind === 'found') {
        await store.markDelivered(key, owner, { channel, ts: seen.ts, status: 'digested' }, now() + 2 * intervalMs, now()).catch(() => undefined)
        return (await poster.post(channel, message, seen.ts)).ts
      }
      if (seen.kind === 'unknown') options.onUnverified?.(seen.reason)
    }
    let ts: string
    try {
      ts = (await poster.post(channel, message, undefined, key)).ts
    } catch (err) {
      await store.release(key, owner).catch(() => undefined)
      throw err
    }
    await store.markDelivered(key, owner, { channel, ts, status: 'digested' }, now() + 2 * intervalMs, now()).catch(() => undefined)
    return ts
  } catch (err) {
    if (err instanceof StateUnavailable) throw new DeliveryError('retryable', channel, 'state_unavailable', err.message)
    throw err
  }
}
