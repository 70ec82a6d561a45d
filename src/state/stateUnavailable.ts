import { TrailwardenError } from '../errors.js'

/**
 * The state store could not answer (throttled, unreachable, access denied): the message says which table and what
 * to do. The work that needed it is retried later, never done blind.
 */
export class StateUnavailable extends TrailwardenError {
  constructor(message: string, readonly retryable: boolean, options?: ErrorOptions) {
    super(message, options)
  }
}
