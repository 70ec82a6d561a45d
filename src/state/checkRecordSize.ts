import { StateUnavailable } from './stateUnavailable.js'

/** The port's bound on a record, serialised: well under DynamoDB's 400 KB item limit, the same in every store. */
export const MAX_RECORD_BYTES = 64 * 1024

/** The record as JSON, or a non-retryable StateUnavailable naming the key when it is larger than the bound. */
export function checkRecordSize(key: string, value: unknown): string {
  // undefined (or a function) has no JSON: stored as null, as JSON.stringify would inside an object.
  const json = (JSON.stringify(value) as string | undefined) ?? 'null'
  const bytes = Buffer.byteLength(json)
  if (bytes > MAX_RECORD_BYTES) throw new StateUnavailable(`state record ${key} is ${bytes} bytes; records are at most ${MAX_RECORD_BYTES}: store less in it`, false)
  return json
}
