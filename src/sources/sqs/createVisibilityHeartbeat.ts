import type { SQSClient } from '@aws-sdk/client-sqs'
import { changeVisibilityInBatches } from './changeVisibilityInBatches.js'
import type { InWork } from './createWorkInHand.js'
import type { SourceLog } from './sourceLog.js'

export interface VisibilityHeartbeatOptions {
  client: SQSClient
  queueUrl: string
  /** The messages in work now (the poll loop's registry). */
  inWork: () => readonly InWork[]
  /** How often to beat, and how long a message must have been in work before it is extended. */
  intervalMs?: number
  /** Visibility given to messages still in work, renewed every beat. */
  extendSeconds?: number
  log: SourceLog
  now?: () => number
}

/**
 * Keeps messages in work invisible: every `intervalMs`, the messages in work for at least that long get
 * `extendSeconds` more, in ChangeMessageVisibilityBatch requests of ten. Beats never overlap.
 *
 * A message's final visibility change (a retry delay, the release at shutdown) must wait for a running beat
 * (`settled`): the beat's extension could otherwise land after it and hide a message meant to come back soon.
 */
export function createVisibilityHeartbeat(options: VisibilityHeartbeatOptions) {
  const { client, queueUrl, inWork, intervalMs = 15_000, extendSeconds = 60, log, now = Date.now } = options
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> = Promise.resolve()

  async function extend(): Promise<void> {
    const at = now()
    const due = inWork().filter((e) => !e.finishing && !e.released && at - e.receivedAt >= intervalMs)
    if (due.length === 0) return
    const failed = await changeVisibilityInBatches(client, queueUrl, due, extendSeconds)
    // A receipt whose visibility ran out fails here; the message comes back and its new receipt replaces the old one.
    if (failed.length > 0) log.warn({ failed }, 'visibility heartbeat failed for some messages')
  }

  function beat(): Promise<void> {
    running = running.then(extend).catch((err: unknown) => {
      log.warn({ err: String(err) }, 'visibility heartbeat failed')
    })
    return running
  }

  return {
    start() {
      timer ??= setInterval(() => void beat(), intervalMs)
      timer.unref()
    },
    /** One beat now (after the running one). */
    beat,
    /** Resolves when no beat is running (the one running now, if any, has finished). */
    settled: (): Promise<void> => running,
    /** No more beats; resolves when the running one has finished. */
    async stop(): Promise<void> {
      clearInterval(timer)
      timer = undefined
      await running
    },
  }
}
