import { TrailwardenError } from '../../errors.js'

/** Why reading Event history stopped: each kind says what to do, and all of them exit 2 (a service that cannot be used). */
export type EventHistoryFailure = 'credentials' | 'access-denied' | 'throttled' | 'service'

/** A LookupEvents call failed for good in one region: what failed, where, and what to do. */
export class EventHistoryError extends TrailwardenError {
  constructor(readonly kind: EventHistoryFailure, readonly region: string, message: string, options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * Error names the SDK and AWS use when the credentials themselves are missing, expired or unknown: the SDK's provider
 * chain (CredentialsProviderError: "Could not load credentials from any providers"), an expired session token
 * (ExpiredTokenException, ExpiredToken), an expired SSO token (TokenProviderError), an unknown or mistyped key
 * (UnrecognizedClientException, InvalidClientTokenId, InvalidSignatureException, IncompleteSignatureException).
 */
const CREDENTIAL_ERRORS: ReadonlySet<string> = new Set([
  'CredentialsProviderError',
  'TokenProviderError',
  'ExpiredTokenException',
  'ExpiredToken',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'SignatureDoesNotMatch',
])

const ACCESS_ERRORS: ReadonlySet<string> = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'NotAuthorized'])

const CREDENTIALS_FIX = 'set AWS_PROFILE (after `aws sso login --profile NAME` for IAM Identity Center), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN for temporary credentials); `aws sts get-caller-identity` checks them'

/** An SDK error's name and message, bounded (AWS's messages name the caller's ARN, which helps; nothing secret). */
function describe(err: unknown): { name: string, message: string } {
  const name = err instanceof Error ? err.name : typeof err
  const message = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').slice(0, 300)
  return { name, message }
}

/** Whether the call is worth repeating: throttling, a server-side fault (5xx), a connection that failed mid-way. */
export function isRetryable(err: unknown): boolean {
  const e = err as { name?: unknown, $fault?: unknown, $retryable?: unknown, code?: unknown } | undefined
  if (!e || typeof e !== 'object') return false
  if (e.name === 'ThrottlingException' || e.name === 'TooManyRequestsException' || e.$retryable !== undefined) return true
  if (e.$fault === 'server') return true
  return typeof e.code === 'string' && ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED'].includes(e.code)
}

/** Any failure of LookupEvents in a region as an EventHistoryError that says what to do. */
export function eventHistoryError(err: unknown, region: string, attempts: number): EventHistoryError {
  if (err instanceof EventHistoryError) return err
  const { name, message } = describe(err)
  if (CREDENTIAL_ERRORS.has(name) || /could not load credentials/i.test(message))
    return new EventHistoryError('credentials', region, `AWS credentials are missing, expired or not recognised (${name}: ${message}) — ${CREDENTIALS_FIX}`, { cause: err })
  if (ACCESS_ERRORS.has(name))
    return new EventHistoryError('access-denied', region, `access denied in ${region} (${name}: ${message}) — the identity needs the IAM action cloudtrail:LookupEvents (the AWS managed policy AWSCloudTrail_ReadOnlyAccess includes it)`, { cause: err })
  if (name === 'ThrottlingException')
    return new EventHistoryError('throttled', region, `LookupEvents in ${region} was still throttled after ${attempts} attempts (${message}) — another reader of Event history in this account and region shares its 2 requests a second; try again later or narrow --since/--until`, { cause: err })
  return new EventHistoryError('service', region, `LookupEvents failed in ${region} after ${attempts} attempt${attempts === 1 ? '' : 's'} (${name}: ${message}) — check the region name, the network, and AWS_ENDPOINT_URL_CLOUDTRAIL if set`, { cause: err })
}
