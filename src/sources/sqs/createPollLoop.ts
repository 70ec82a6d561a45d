import { setTimeout as delay } from 'node:timers/promises'
import { type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs'
import { backoff } from '../backoff.js'
import { createWorkInHand, type InWork } from './createWorkInHand.js'
import { createPollStatus } from './pollStatus.js'
import type { SourceLog } from './sourceLog.js'

export interface PollLoopOptions {
  client: SQSClient
  queueUrl: string
  /** Handle one message; called once per MessageId while it is in work. Must not throw. */
  work: (message: Message, entry: InWork) => Promise<void>
  /** A message in work was received again; `entry.receipt` is already the new receipt. */
  onReceivedAgain?: (entry: InWork) => void
  pollers?: number
  maxInFlight?: number
  waitTimeSeconds?: number
  log: SourceLog
  onPoll?: (ok: boolean, error?: string) => void
  now?: () => number
  /** For the jitter; tests pass a constant. */
  random?: () => number
}

/** Backoff after a failed ReceiveMessage: a ceiling of 0.5 s doubling to 30 s, each wait drawn below it — the endpoint may be gone for a while. */
const RECEIVE_BACKOFF = { baseMs: 500, capMs: 30_000 }

/**
 * The receiving side of the source: `pollers` long polls at once, each asking only for the room left under
 * `maxInFlight` messages in work, and a backoff with full jitter after a failed ReceiveMessage. A message already in
 * work is not handed to `work` again: its newest receipt is kept.
 *
 * Written on @aws-sdk/client-sqs rather than sqs-consumer: sqs-consumer keeps one poll in flight and waits for the
 * slowest message of each batch (README, benchmark P3).
 */
export function createPollLoop(options: PollLoopOptions) {
  const { client, queueUrl, work, pollers = 2, maxInFlight = 100, waitTimeSeconds = 20, log, now = Date.now, random = Math.random } = options
  const inWork = createWorkInHand(maxInFlight)
  const pollStatus = createPollStatus(now())
  const abort = new AbortController()
  const loops: Array<Promise<void>> = []
  let running = false
  let lastLoopTick = now()

  function accept(m: Message) {
    // SQS always sends both; without them the message can be neither told apart nor deleted. Not handled (an alert
    // sent for it could never be acknowledged): it returns when its visibility timeout runs out.
    if (!m.MessageId || !m.ReceiptHandle) {
      log.warn({ messageId: m.MessageId ?? null, receipt: m.ReceiptHandle ? 'present' : 'missing' }, 'ReceiveMessage answered a message without MessageId or ReceiptHandle; skipped')
      return
    }
    const known = inWork.get(m.MessageId)
    if (known) {
      known.receipt = m.ReceiptHandle
      log.info({ messageId: m.MessageId, receiveCount: m.Attributes?.ApproximateReceiveCount }, 'message received again while in work: not handled twice, its newest receipt kept')
      options.onReceivedAgain?.(known)
      return
    }
    const entry: InWork = { messageId: m.MessageId, receipt: m.ReceiptHandle, receivedAt: now(), finishing: false, released: false }
    inWork.add(entry, work(m, entry).catch((err: unknown) => {
      log.error({ messageId: entry.messageId, err: err instanceof Error ? err.stack : String(err) }, 'message work failed')
    }))
  }

  /** One ReceiveMessage for the room reserved, its messages put in work; after a failure, the backoff wait. */
  async function receiveOnce(room: number, failures: number): Promise<'received' | 'failed' | 'stopped'> {
    let messages: Message[]
    try {
      const res = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: room,
          WaitTimeSeconds: waitTimeSeconds,
          MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
        }),
        { abortSignal: abort.signal },
      )
      messages = res.Messages ?? []
    } catch (err) {
      inWork.unreserve(room)
      if (abort.signal.aborted) return 'stopped'
      const message = err instanceof Error ? err.message : String(err)
      const wait = backoff(failures + 1, RECEIVE_BACKOFF, random)
      pollStatus.failed(now(), message)
      options.onPoll?.(false, message)
      log.warn({ err: message, retryInMs: wait }, 'ReceiveMessage failed')
      await delay(wait, undefined, { signal: abort.signal }).catch(() => undefined)
      return 'failed'
    }
    pollStatus.succeeded(now())
    options.onPoll?.(true)
    for (const m of messages) accept(m)
    // Given back once its messages are in work, so the cap is never exceeded in between.
    inWork.unreserve(room)
    return 'received'
  }

  async function pollLoop(): Promise<void> {
    let failures = 0
    while (running) {
      lastLoopTick = now()
      const room = await inWork.reserve()
      if (room === 0) break // stopped while waiting for room
      const outcome = await receiveOnce(room, failures)
      if (outcome === 'stopped') break
      failures = outcome === 'failed' ? failures + 1 : 0
    }
  }

  return {
    start() {
      running = true
      for (let i = 0; i < pollers; i++) loops.push(pollLoop())
    },
    /** Stop receiving: the long polls in flight are aborted; resolves when every loop has ended. Work goes on. */
    async stop(): Promise<void> {
      running = false
      abort.abort()
      inWork.close()
      await Promise.allSettled(loops)
    },
    /** The messages in work now. */
    inWork: (): InWork[] => inWork.list(),
    size: (): number => inWork.size(),
    /** Resolves when the work in hand now is done. */
    idle: (): Promise<void> => inWork.idle(),
    status: (at: number) => pollStatus.status(at),
    /** Whether the loop went round recently (a long poll lasts waitTimeSeconds; backoff at most 30 s). */
    alive(): { ok: boolean, detail: string } {
      const age = now() - lastLoopTick
      const ok = !running || age < (waitTimeSeconds + 45) * 1000 || inWork.size() >= maxInFlight
      return { ok, detail: running ? `last poll started ${Math.round(age / 1000)} s ago, ${inWork.size()} messages in work` : 'stopped' }
    },
  }
}
