import { setTimeout as delay } from 'node:timers/promises'
import { ChangeMessageVisibilityCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs'
import type { ComponentStatus } from '../../health/componentStatus.js'
import { changeVisibilityInBatches } from './changeVisibilityInBatches.js'
import { createDeleteBatcher } from './createDeleteBatcher.js'
import { createPollLoop } from './createPollLoop.js'
import type { InWork } from './createWorkInHand.js'
import { createVisibilityHeartbeat } from './createVisibilityHeartbeat.js'
import type { HandlerResult } from './handlerResult.js'
import type { SourceLog } from './sourceLog.js'

export type { HandlerResult } from './handlerResult.js'
export type { SourceLog } from './sourceLog.js'
export { POLL_FRESHNESS_MS } from './pollStatus.js'

export interface SqsSourceOptions {
  client: SQSClient
  queueUrl: string
  handler: (message: Message) => Promise<HandlerResult>
  pollers?: number
  maxInFlight?: number
  waitTimeSeconds?: number
  /** Visibility given to messages still in work, renewed every heartbeat. */
  extendVisibilitySeconds?: number
  heartbeatIntervalMs?: number
  poisonVisibilitySeconds?: number
  log: SourceLog
  /** Each ReceiveMessage's outcome. `status(now)` says the same without a callback. */
  onPoll?: (ok: boolean, error?: string) => void
  onDeleteFailed?: (count: number) => void
  now?: () => number
  /** For the receive backoff's jitter; tests pass a constant. */
  random?: () => number
}

/** Visibility after a handler threw: soon back, and to the DLQ if it keeps failing. */
const HANDLER_ERROR_RETRY_SECONDS = 30

/**
 * The SQS source: the poll loop (createPollLoop), the batched deletes (createDeleteBatcher) and the visibility
 * heartbeat (createVisibilityHeartbeat), composed. It runs the handler once per message in work and turns its
 * decision into a delete or a visibility change; the DLQ is left to the queue's redrive policy.
 */
export function createSqsSource(options: SqsSourceOptions) {
  const { client, queueUrl, handler, log, now = Date.now, poisonVisibilitySeconds = 900 } = options
  const deletes = createDeleteBatcher({ client, queueUrl, log, onDeleteFailed: options.onDeleteFailed })
  const loop = createPollLoop({
    client,
    queueUrl,
    work,
    // Its delete may be waiting already: it must go with this newer receipt.
    onReceivedAgain: (entry) => deletes.renew(entry.messageId, entry.receipt),
    pollers: options.pollers,
    maxInFlight: options.maxInFlight,
    waitTimeSeconds: options.waitTimeSeconds,
    log,
    onPoll: options.onPoll,
    now,
    random: options.random,
  })
  const heartbeat = createVisibilityHeartbeat({
    client,
    queueUrl,
    inWork: loop.inWork,
    intervalMs: options.heartbeatIntervalMs,
    extendSeconds: options.extendVisibilitySeconds,
    log,
    now,
  })

  async function work(message: Message, entry: InWork): Promise<void> {
    // Handled already, its delete not yet sent (a receive of it landed in the few ms a delete waits for company):
    // delete with this newer receipt rather than handle it again.
    if (deletes.renew(entry.messageId, entry.receipt)) return
    let result: HandlerResult
    try {
      result = await handler(message)
    } catch (err) {
      // A bug must not lose the message: it goes back to the queue, and to the DLQ if it keeps failing.
      log.error({ messageId: entry.messageId, err: err instanceof Error ? err.stack : String(err) }, 'handler failed')
      result = { action: 'retry', visibilitySeconds: HANDLER_ERROR_RETRY_SECONDS, reason: 'handler_error' }
    }
    entry.finishing = true
    // The receipt is read now, not at receive: the message may have been received again while in work.
    if (result.action === 'ack') {
      deletes.delete(entry.messageId, entry.receipt)
      return
    }
    await heartbeat.settled()
    if (entry.released) return
    const seconds = result.action === 'poison' ? poisonVisibilitySeconds : result.visibilitySeconds
    const command = new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: entry.receipt, VisibilityTimeout: seconds })
    await client.send(command).catch((err: unknown) => {
      log.warn({ messageId: entry.messageId, err: String(err) }, 'ChangeMessageVisibility failed; the queue default applies')
    })
  }

  return {
    start() {
      loop.start()
      heartbeat.start()
    },
    /** Whether the loop went round recently (a long poll lasts waitTimeSeconds; backoff at most 30 s). */
    alive: () => loop.alive(),
    /** Readiness: the last ReceiveMessage succeeded within POLL_FRESHNESS_MS; else what failed. */
    status: (at: number): ComponentStatus => loop.status(at),
    inFlight: loop.size,
    /**
     * Stop polling, let work in hand finish within graceMs (the heartbeat keeps it hidden meanwhile), then release
     * what is unfinished (visibility 0) so it returns to the queue at once, and flush the deletes.
     *
     * The long polls are aborted, but an aborted ReceiveMessage stays open at SQS until its WaitTimeSeconds lapse
     * and hands what arrives meanwhile to nobody, in flight until the visibility timeout
     * (https://github.com/aws/aws-sdk-js/issues/2350; fauxqs does the same). So a grace shorter than
     * WaitTimeSeconds can see released messages taken that way; the defaults (20 s and 20 s) cannot.
     */
    async stop(graceMs: number): Promise<{ finished: number, released: number }> {
      await loop.stop()
      const started = loop.size()
      const grace = new AbortController()
      await Promise.race([loop.idle(), delay(graceMs, undefined, { signal: grace.signal }).catch(() => undefined)])
      grace.abort() // the grace timer must not keep the process alive once the work is done
      // After the last beat: an extension landing after the release would hide a released message again.
      await heartbeat.stop()
      const unfinished = loop.inWork().filter((e) => !e.finishing)
      for (const e of unfinished) e.released = true
      const failed = await changeVisibilityInBatches(client, queueUrl, unfinished, 0)
      if (failed.length > 0) log.warn({ failed }, 'some messages could not be released; they return when their visibility runs out')
      await deletes.flush()
      return { finished: started - unfinished.length, released: unfinished.length }
    },
  }
}
