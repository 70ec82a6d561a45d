/** What a failed DynamoDB call means for the daemon, in words an operator can act on. */
export interface DynamoFailure {
  /** true: wait and try again (throttling, 5xx, network); false: a person must fix something (table, role). */
  retryable: boolean
  message: string
}

/** Errors a retry can fix: DynamoDB's own throttling and server errors (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html). */
const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'InternalServerError',
  'ServiceUnavailable', 'TransactionConflictException', 'LimitExceededException', 'TimeoutError', 'RequestTimeout',
  'RequestTimeoutException',
])

/** Errors only a person can fix, with what to do. */
const FIXES: Record<string, string> = {
  ResourceNotFoundException: 'the table does not exist in this account and region: deploy it (deploy/) or fix TRAILWARDEN_STATE_TABLE and AWS_REGION',
  AccessDeniedException: 'the task role may not use the table: allow dynamodb:GetItem, PutItem, UpdateItem and DeleteItem on it',
  UnrecognizedClientException: 'the credentials are not valid: check the task role',
  ValidationException: 'the table does not have the expected layout: partition key pk (string), TTL on expiresAt',
}

/**
 * The SDK's error → retryable or not, with the table named. An error without an HTTP answer (connection refused,
 * reset, DNS) is the network: retryable; so is any 5xx.
 */
export function describeDynamoFailure(err: unknown, table: string, operation: string): DynamoFailure {
  const e = (err ?? {}) as { name?: string, message?: string, code?: string, $metadata?: { httpStatusCode?: number } }
  const name = e.name ?? 'Error'
  const status = e.$metadata?.httpStatusCode
  const fix = FIXES[name]
  if (fix) return { retryable: false, message: `DynamoDB table ${table}: ${operation} failed: ${name}: ${fix}` }
  const network = status === undefined
  const retryable = RETRYABLE.has(name) || network || status >= 500 || status === 429
  const what = network ? `${name} (${e.code ?? e.message ?? 'no answer'})` : `${name} (HTTP ${status})`
  return {
    retryable,
    message: retryable
      ? `DynamoDB table ${table}: ${operation} failed: ${what}; alerts wait in the queue and are retried`
      : `DynamoDB table ${table}: ${operation} failed: ${what}: ${e.message ?? ''}`.trimEnd(),
  }
}
