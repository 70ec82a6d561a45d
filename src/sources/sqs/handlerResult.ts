/** What the message handler decided for one message; the source turns it into a delete or a visibility change. */
export type HandlerResult =
  | { action: 'ack' }
  /** Leave it for redelivery after this many seconds (Slack down, rate limited…). */
  | { action: 'retry', visibilitySeconds: number, reason: string }
  /** It cannot be read: hide it for long so it does not hot-loop; the redrive policy moves it to the DLQ. */
  | { action: 'poison', reason: string }
