import { parseArn } from './arn.js'
import type { NormaliseSettings } from './settings.js'
import type { Actor, ActorType, CloudTrailRecord } from './types.js'
import { isConsoleUserAgent, viaFromUserAgent } from './userAgent.js'
import { asObject as obj, nonEmptyString as str, lookup } from '../json.js'

/**
 * userIdentity.type values (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html)
 * mapped onto the actor types rules use. Role sessions count as AssumedRole; SAML and web-identity
 * principals are federated.
 */
export const TYPE_MAP: Record<string, ActorType> = {
  Root: 'Root',
  IAMUser: 'IAMUser',
  AssumedRole: 'AssumedRole',
  Role: 'AssumedRole',
  FederatedUser: 'FederatedUser',
  SAMLUser: 'FederatedUser',
  WebIdentityUser: 'FederatedUser',
  AWSService: 'AWSService',
  AWSAccount: 'AWSAccount',
  IdentityCenterUser: 'IdentityCenterUser',
}

/** invokedBy values that mean "on behalf of the caller", not "a service acting on its own". */
export const ON_BEHALF_OF_CALLER: ReadonlySet<string> = new Set(['AWS Internal', 'cloudformation.amazonaws.com'])

function typeFromArn(resource: string, service: string): ActorType {
  if (resource === 'root') return 'Root'
  if (service === 'iam' && resource.startsWith('user/')) return 'IAMUser'
  if (service === 'sts' && resource.startsWith('assumed-role/')) return 'AssumedRole'
  if (service === 'sts' && resource.startsWith('federated-user/')) return 'FederatedUser'
  return 'Unknown'
}

/** Who made the call, how, and whether MFA stood behind it. */
export function describeActor(record: CloudTrailRecord, settings: NormaliseSettings): Actor {
  const ui = obj(record.userIdentity) ?? {}
  const session = obj(ui.sessionContext)
  const issuer = obj(session?.sessionIssuer)
  const attributes = obj(session?.attributes)
  const arnText = str(ui.arn)
  const arn = parseArn(arnText)
  const rawType = str(ui.type)
  const type: ActorType = rawType ? (lookup(TYPE_MAP, rawType) ?? 'Unknown') : arn ? typeFromArn(arn.resource, arn.service) : 'Unknown'

  // assumed-role/ROLE/SESSION; the issuer's role ARN may carry a path (role/aws-reserved/sso.amazonaws.com/NAME).
  const assumed = arn?.resource.startsWith('assumed-role/') ? arn.resource.split('/') : undefined
  const issuerArn = parseArn(issuer?.arn)
  const issuerRole = issuerArn?.resource.startsWith('role/') ? issuerArn.resource.split('/').pop() : undefined
  const role = type === 'AssumedRole' ? (issuerRole ?? assumed?.[1] ?? str(issuer?.userName)) : undefined
  const principalSession = str(ui.principalId)?.split(':')[1]
  const sessionName = type === 'AssumedRole' ? (assumed?.[2] ?? principalSession) : undefined

  let name: string | undefined
  switch (type) {
    case 'Root':
      name = str(ui.userName) ?? 'root'
      break
    case 'IAMUser':
      name = str(ui.userName) ?? arn?.resource.split('/').pop()
      break
    case 'AssumedRole':
      name = sessionName
      break
    case 'FederatedUser':
      name = arn?.resource.startsWith('federated-user/') ? arn.resource.slice('federated-user/'.length) : str(ui.userName)
      break
    case 'AWSService':
      name = str(ui.invokedBy)
      break
    default:
      name = str(ui.userName) ?? str(ui.principalId)
  }

  const invokedBy = str(ui.invokedBy)
  const serviceLinked =
    (role?.startsWith('AWSServiceRoleFor') ?? false) || (issuerArn?.resource.startsWith('role/aws-service-role/') ?? false)
  const service =
    type === 'AWSService'
    || record.eventType === 'AwsServiceEvent'
    || serviceLinked
    || (invokedBy !== undefined && !ON_BEHALF_OF_CALLER.has(invokedBy))

  const userAgent = str(record.userAgent)
  const console =
    record.sessionCredentialFromConsole === 'true'
    || record.eventType === 'AwsConsoleSignIn'
    || (userAgent !== undefined && isConsoleUserAgent(userAgent))
  const via = console
    ? 'console'
    : invokedBy === 'cloudformation.amazonaws.com'
      ? 'cloudformation'
      : service
        ? 'service'
        : viaFromUserAgent(userAgent)

  const actor: Actor = { type, console, service, via }
  if (arnText) actor.arn = arnText
  const account = str(ui.accountId) ?? arn?.account
  if (account) actor.account = account
  if (name) actor.name = name
  if (role) actor.role = role
  if (sessionName) actor.session = sessionName
  const sourceIdentity = str(session?.sourceIdentity) ?? str(ui.sourceIdentity)
  if (sourceIdentity) actor.sourceIdentity = sourceIdentity
  const mfa = mfaOf(record, ui, attributes, type, arnText, str(issuer?.arn), settings)
  if (mfa !== undefined) actor.mfa = mfa
  return actor
}

function mfaOf(
  record: CloudTrailRecord,
  ui: Record<string, unknown>,
  attributes: Record<string, unknown> | undefined,
  type: ActorType,
  arn: string | undefined,
  issuerArn: string | undefined,
  settings: NormaliseSettings,
): boolean | undefined {
  // SSO sessions say "false" even when the identity provider enforced MFA: the config vouches for them.
  if ((arn && settings.mfaEnforcedUpstream(arn)) || (issuerArn && settings.mfaEnforcedUpstream(issuerArn))) return true
  const flag = attributes?.mfaAuthenticated
  if (flag === 'true' || flag === true) return true
  if (flag === 'false' || flag === false) return false
  // ConsoleLogin records: "Yes" / "No" (AWS's own samples also show "YES").
  const used = obj(record.additionalEventData)?.MFAUsed
  if (typeof used === 'string' && used.toLowerCase() === 'yes') return true
  if (typeof used === 'string' && used.toLowerCase() === 'no') return false
  // Long-term access keys (AKIA…) of a user or root cannot carry MFA.
  if ((type === 'IAMUser' || type === 'Root') && str(ui.accessKeyId)?.startsWith('AKIA')) return false
  return undefined
}
