/** Why a body (or one record in it) could not be read. Stable strings: they label metrics and logs. */
export type RejectionReason =
  | 'too-large'
  | 'not-json'
  | 'not-object'
  | 'too-deep'
  | 'unknown-shape'
  | 'not-an-api-call'
  | 'missing-fields'
  /** Normalising the record threw (see readEvents): rejected alone, its body's other records are read. */
  | 'cannot-normalise'

export interface Rejection {
  reason: RejectionReason
  /** What is wrong, in words a person can act on. */
  message: string
  /** For a record inside a multi-record body, its position. */
  index?: number
}

export const rejection = (reason: RejectionReason, message: string, index?: number): Rejection =>
  index === undefined ? { reason, message } : { reason, message, index }
