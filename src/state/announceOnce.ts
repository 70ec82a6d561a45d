import type { StateStore } from './stateStore.js'

export interface AnnounceOnceOptions {
  state: StateStore
  /** This process (unique per start). */
  owner: string
  now: () => number
  /** How long one replica may take to send before another may try (its sender died). */
  leaseMs?: number
}

/**
 * System notices once per window across replicas (#19): the heartbeat's silence and recovery, bus-rule drift,
 * exception expiry. Built on a claim rather than a bare `once`: a replica that wins but fails to send gives the
 * window back (release), so a notice is never silenced by a failed post; a sender that died mid-post loses its lease
 * and the next check anywhere sends it.
 *
 * `announce` resolves true when this process sent it, false when another replica sent it or is sending it now. A
 * store that cannot answer rejects (StateUnavailable): the caller's next check tries again.
 */
export function createAnnounceOnce(options: AnnounceOnceOptions) {
  const { state, owner, now } = options
  return async function announce(key: string, windowMs: number, send: () => Promise<unknown>): Promise<boolean> {
    const at = now()
    const window = Math.floor(at / windowMs)
    const stateKey = `notice#${key}#${window}`
    const claim = await state.claim(stateKey, owner, options.leaseMs ?? 60_000, at)
    if (claim.kind !== 'claimed') return false
    try {
      await send()
    } catch (err) {
      await state.release(stateKey, owner).catch(() => undefined)
      throw err
    }
    await state.markDelivered(stateKey, owner, { channel: '', status: 'posted' }, (window + 1) * windowMs, now()).catch(() => undefined)
    return true
  }
}

export type AnnounceOnce = ReturnType<typeof createAnnounceOnce>
