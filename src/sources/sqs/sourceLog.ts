/** The logging the SQS source needs (pino's shape), so tests pass a recorder without module mocking. */
export interface SourceLog {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
}
