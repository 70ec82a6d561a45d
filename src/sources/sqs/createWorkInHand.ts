/** A message being handled, by MessageId. */
export interface InWork {
  readonly messageId: string
  /**
   * The receipt of the latest receive: a message received again while in work (its visibility ran out during a slow
   * Slack, or at-least-once delivery) is not handled twice, but its delete and visibility changes must use the newest
   * receipt — with an older one "the request will succeed, but the message might not be deleted"
   * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html).
   */
  receipt: string
  /** The first receive, for the heartbeat. */
  readonly receivedAt: number
  /** Its delete or final visibility is being decided: the heartbeat leaves it alone. */
  finishing: boolean
  /** Handed back to the queue at shutdown: nothing may hide it again. */
  released: boolean
}

/**
 * The messages in work and the cap on them. A receive first reserves its room — at most ten, and no more than the
 * cap leaves once the messages in work and the other receives in flight are counted: without the reservation, two
 * pollers seeing the same room would each fill it (measured: 8 in work with a cap of 4 and 3 pollers).
 */
export function createWorkInHand(maxInFlight: number) {
  const entries = new Map<string, InWork>()
  const running = new Set<Promise<void>>()
  const waiters: Array<() => void> = []
  let reserved = 0
  let closed = false

  function wake() {
    for (const w of waiters.splice(0)) w()
  }

  return {
    /** Room for one receive (0 once closed); waits while there is none. Give it back with `unreserve`. */
    async reserve(): Promise<number> {
      while (!closed && entries.size + reserved >= maxInFlight) await new Promise<void>((resolve) => waiters.push(resolve))
      const room = closed ? 0 : Math.min(10, maxInFlight - entries.size - reserved)
      reserved += room
      return room
    },
    /** The receive is over: its messages, if any, are in work now. */
    unreserve(room: number): void {
      reserved -= room
      wake()
    },
    get: (messageId: string): InWork | undefined => entries.get(messageId),
    /** Put a message in work for as long as `work` runs. */
    add(entry: InWork, work: Promise<void>): void {
      entries.set(entry.messageId, entry)
      const done: Promise<void> = work.finally(() => {
        entries.delete(entry.messageId)
        running.delete(done)
        wake()
      })
      running.add(done)
    },
    list: (): InWork[] => [...entries.values()],
    size: (): number => entries.size,
    /** Resolves when the work in hand now is done. */
    idle: (): Promise<void> => Promise.all([...running]).then(() => undefined),
    /** No more room: a receive waiting for some gets 0. */
    close(): void {
      closed = true
      wake()
    },
  }
}
