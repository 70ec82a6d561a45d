/**
 * What a failed delivery means for the SQS message that caused it:
 * - retryable: Slack was slow, down or rate limiting — leave the message for redelivery;
 * - configuration: the token or the channel is wrong — readiness turns false; the message stays and ends in the DLQ;
 * - payload: Slack rejected the message itself even in its minimal form — it ends in the DLQ.
 * There is no kind that means "drop it": a delivery never fails silently.
 */
export type FailureKind = 'retryable' | 'configuration' | 'payload'

export class DeliveryError extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly channel: string,
    /** Slack's error code (channel_not_found, ratelimited, http_503, …). */
    readonly code: string,
    message: string,
    /**
     * When a retry can succeed (epoch ms), if known: another replica's lease on the delivery ends then (#19). The
     * message's next receive is set to then instead of the usual backoff.
     */
    readonly retryAt?: number,
  ) {
    super(message)
    this.name = 'DeliveryError'
  }
}
