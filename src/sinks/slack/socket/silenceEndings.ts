import type { WebClient } from '@slack/web-api'
import type { Logger } from 'pino'
import { code } from '../../../core/alerts/mrkdwn.js'
import { redactSecrets } from '../../../core/alerts/redact.js'
import { withStatus } from '../../../core/alerts/actionBlocks.js'
import { type Silence, scopeWords } from '../../../core/silences/silence.js'
import type { StateStore } from '../../../state/stateStore.js'
import type { AlertRecords } from './alertRecords.js'

/** An end older than this is not announced any more (a replica that was down for a day stays quiet). */
const ANNOUNCE_WITHIN_MS = 24 * 3_600_000
const LEASE_MS = 60_000

/**
 * Each silence that ran out announces its end once, across replicas: a reply in the alert's thread, and the message
 * updated to say so. Delivered once through a claim in the shared store (claim → post → markDelivered; a failed post
 * releases the claim, so the next check, here or on another replica, tries again). An undone silence is not
 * announced: its Undo already showed on the message.
 */
export async function announceEndedSilences(
  silences: readonly Silence[],
  deps: { client: WebClient, store: StateStore, records: AlertRecords, owner: string, log: Pick<Logger, 'info' | 'warn'>, now: number },
): Promise<number> {
  const { client, store, records, owner, log, now } = deps
  let announced = 0
  for (const s of silences) {
    if (s.undone || s.expiresAt > now || now - s.expiresAt > ANNOUNCE_WITHIN_MS || !s.message) continue
    const key = `claim#silence-ended#${s.id}`
    const claim = await store.claim(key, owner, LEASE_MS, now)
    if (claim.kind !== 'claimed') continue
    try {
      const { channel, ts, ref } = s.message
      const text = `:bell: The silence on rule ${code(s.ruleId, 80)} for ${code(redactSecrets(scopeWords(s.scope)), 400)} has ended: its alerts are posted again.`
      const posted = await client.chat.postMessage({ channel, thread_ts: ts, text, unfurl_links: false, unfurl_media: false })
      await store.markDelivered(key, owner, { channel, ts: posted.ts ?? '', status: 'posted' }, s.expiresAt + 2 * ANNOUNCE_WITHIN_MS, now)
      announced += 1
      log.info({ silence: s.id, rule: s.ruleId }, 'silence ended: announced')
      const record = await records.get(ref, now)
      if (record?.blocks) {
        await client.chat.update({ channel, ts, text: record.text ?? 'trailwarden alert', blocks: withStatus(record.blocks, ref, { acks: record.acks, vouches: record.vouches, silence: s }, now) as never[] })
          .catch((err: unknown) => { log.warn({ silence: s.id, err: err instanceof Error ? err.message.slice(0, 200) : 'error' }, 'could not update the message of an ended silence') })
      }
    } catch (err) {
      await store.release(key, owner).catch(() => undefined)
      log.warn({ silence: s.id, err: err instanceof Error ? err.message.slice(0, 200) : 'error' }, 'could not announce the end of a silence; trying again on the next check')
    }
  }
  return announced
}
