import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs'

/** What the handler decided for one message. */
export type HandlerResult =
  | { action: 'ack' }
  /** Leave it for redelivery after this many seconds (Slack down, rate limited…). */
  | { action: 'retry', visibilitySeconds: number, reason: string }
  /** It cannot be read: hide it for long so it does not hot-loop; the redrive policy moves it to the DLQ. */
  | { action: 'poison', reason: string }

export interface SourceLog {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

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
  onPoll?: (ok: boolean, error?: string) => void
  onDeleteFailed?: (count: number) => void
  now?: () => number
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(t)
      resolve()
    }, { once: true })
  })

/**
 * The SQS poll loop, written on @aws-sdk/client-sqs rather than sqs-consumer: sqs-consumer keeps one poll in flight
 * and waits for the slowest message of each batch (measured on these machines against fauxqs: 9.9 msg/s when one
 * handler in ten takes 1 s; shared/notes/libraries.md), and ignores failures inside batch deletes. Here: N long polls,
 * a cap on messages in work, batched deletes that check Failed, batched visibility heartbeats, the DLQ left to the
 * queue's redrive policy.
 */
export function createSqsSource(options: SqsSourceOptions) {
  const {
    client,
    queueUrl,
    handler,
    pollers = 2,
    maxInFlight = 100,
    waitTimeSeconds = 20,
    extendVisibilitySeconds = 60,
    heartbeatIntervalMs = 15_000,
    poisonVisibilitySeconds = 900,
    log,
    now = Date.now,
  } = options
  const inFlight = new Map<string, { receipt: string, since: number, done: Promise<void> }>()
  const abort = new AbortController()
  let running = false
  // A function, not the flag itself: it changes while a poll is awaited (stop()), which flow analysis cannot see.
  const isRunning = () => running
  let lastLoopTick = now()
  let heartbeat: NodeJS.Timeout | undefined
  /** The running visibility heartbeat: a message's final visibility change waits for it, or the heartbeat's
   * extension could land after it and hide a message meant to come back soon. */
  let beating: Promise<void> = Promise.resolve()
  const pending: Array<{ Id: string, ReceiptHandle: string }> = []
  let flushTimer: NodeJS.Timeout | undefined
  const slotWaiters: Array<() => void> = []
  const loops: Array<Promise<void>> = []
  /** Messages handed back to the queue at shutdown: whatever their handler decides later must not hide them again. */
  const released = new Set<string>()

  async function flushDeletes(): Promise<void> {
    clearTimeout(flushTimer)
    flushTimer = undefined
    while (pending.length > 0) {
      const batch = pending.splice(0, 10)
      try {
        const res = await client.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch }))
        if (res.Failed?.length) {
          // The alerts were delivered; the message will come back and be recognised as a duplicate.
          options.onDeleteFailed?.(res.Failed.length)
          log.warn({ failed: res.Failed.map((f) => ({ id: f.Id, code: f.Code })) }, 'some deletes failed; those messages will be redelivered and deduplicated')
        }
      } catch (err) {
        options.onDeleteFailed?.(batch.length)
        log.warn({ err: String(err), count: batch.length }, 'DeleteMessageBatch failed; those messages will be redelivered and deduplicated')
      }
    }
  }

  function ack(message: Message) {
    pending.push({ Id: message.MessageId ?? String(pending.length), ReceiptHandle: message.ReceiptHandle! })
    if (pending.length >= 10) void flushDeletes()
    // A short wait gathers a batch; kept short because a crash between an accepted alert and its delete is what
    // makes a duplicate after restart (the idempotency memory dies with the process).
    else flushTimer ??= setTimeout(() => void flushDeletes(), 5)
  }

  async function setVisibility(message: Message, seconds: number) {
    const command = new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle!, VisibilityTimeout: seconds })
    await client.send(command).catch((err: unknown) => {
      log.warn({ messageId: message.MessageId, err: String(err) }, 'ChangeMessageVisibility failed; the queue default applies')
    })
  }

  async function handle(message: Message): Promise<void> {
    let result: HandlerResult
    try {
      result = await handler(message)
    } catch (err) {
      // A bug must not lose the message: it goes back to the queue, and to the DLQ if it keeps failing.
      log.error({ messageId: message.MessageId, err: err instanceof Error ? err.stack : String(err) }, 'handler failed')
      result = { action: 'retry', visibilitySeconds: 30, reason: 'handler_error' }
    }
    inFlight.delete(message.MessageId ?? '')
    await beating
    if (result.action === 'ack') ack(message)
    else if (!released.has(message.MessageId ?? '')) await setVisibility(message, result.action === 'poison' ? poisonVisibilitySeconds : result.visibilitySeconds)
  }

  function release() {
    for (const w of slotWaiters.splice(0)) w()
  }

  async function capacity(): Promise<number> {
    while (running && inFlight.size >= maxInFlight) await new Promise<void>((resolve) => slotWaiters.push(resolve))
    return Math.min(10, maxInFlight - inFlight.size)
  }

  async function pollLoop(): Promise<void> {
    let backoff = 0
    while (running) {
      lastLoopTick = now()
      const room = await capacity()
      if (!isRunning()) break
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
        backoff = 0
        options.onPoll?.(true)
      } catch (err) {
        if (!isRunning()) break
        // Exponential backoff with full jitter, up to 30 s: the endpoint may be gone for a while.
        backoff = Math.min(30_000, backoff === 0 ? 500 : backoff * 2)
        const wait = Math.round(Math.random() * backoff)
        options.onPoll?.(false, err instanceof Error ? err.message : String(err))
        log.warn({ err: err instanceof Error ? err.message : String(err), retryInMs: wait }, 'ReceiveMessage failed')
        await sleep(wait, abort.signal)
        continue
      }
      for (const m of messages) {
        if (!m.MessageId || !m.ReceiptHandle) continue
        const entry = { receipt: m.ReceiptHandle, since: now(), done: Promise.resolve() }
        inFlight.set(m.MessageId, entry)
        entry.done = handle(m).finally(() => {
          inFlight.delete(m.MessageId!)
          release()
        })
      }
    }
  }

  /** Keep messages in work invisible: extend them in batches of ten. */
  async function extendVisibility(): Promise<void> {
    await beating
    const due = [...inFlight.entries()].filter(([, e]) => now() - e.since >= heartbeatIntervalMs)
    for (let i = 0; i < due.length; i += 10) {
      const entries = due.slice(i, i + 10).map(([id, e]) => ({ Id: id, ReceiptHandle: e.receipt, VisibilityTimeout: extendVisibilitySeconds }))
      await client.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: entries })).catch((err: unknown) => {
        log.warn({ err: String(err) }, 'visibility heartbeat failed')
      })
    }
  }

  return {
    start() {
      running = true
      for (let i = 0; i < pollers; i++) loops.push(pollLoop())
      heartbeat = setInterval(() => {
        beating = extendVisibility()
      }, heartbeatIntervalMs)
      heartbeat.unref()
    },
    /** Whether the loop went round recently (a long poll lasts waitTimeSeconds; backoff at most 30 s). */
    alive(): { ok: boolean, detail: string } {
      const age = now() - lastLoopTick
      const ok = !running || age < (waitTimeSeconds + 45) * 1000 || inFlight.size >= maxInFlight
      return { ok, detail: running ? `last poll started ${Math.round(age / 1000)} s ago, ${inFlight.size} messages in work` : 'stopped' }
    },
    inFlight: () => inFlight.size,
    /**
     * Stop polling, let work in hand finish within graceMs, then release what is unfinished (visibility 0) so it
     * returns to the queue at once, and flush the deletes.
     */
    async stop(graceMs: number): Promise<{ finished: number, released: number }> {
      running = false
      abort.abort()
      release()
      clearInterval(heartbeat)
      const started = inFlight.size
      const grace = new AbortController()
      await Promise.race([Promise.all([...inFlight.values()].map((e) => e.done)), sleep(graceMs, grace.signal)])
      grace.abort() // the grace timer must not keep the process alive once the work is done
      const unfinished = [...inFlight.entries()]
      for (const [id] of unfinished) released.add(id)
      for (let i = 0; i < unfinished.length; i += 10) {
        const entries = unfinished.slice(i, i + 10).map(([id, e]) => ({ Id: id, ReceiptHandle: e.receipt, VisibilityTimeout: 0 }))
        await client.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: entries })).catch(() => undefined)
      }
      await Promise.allSettled(loops)
      await flushDeletes()
      return { finished: started - unfinished.length, released: unfinished.length }
    },
  }
}

export type SqsSource = ReturnType<typeof createSqsSource>
