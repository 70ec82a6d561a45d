import type { Change } from '../change/change.js'

/** A CloudTrail record as it arrives: only the three fields intake guarantees are typed. */
export interface CloudTrailRecord {
  eventSource: string
  eventName: string
  eventTime: string
  [field: string]: unknown
}

/** How the body carried the record(s). */
export type BodyShape = 'eventbridge' | 'record' | 's3-log-file' | 'sns' | 'cloudwatch-logs'

/** The EventBridge envelope fields, when the record came inside one. */
export interface EnvelopeMeta {
  id?: string
  detailType: string
  source?: string
  account?: string
  region?: string
  time?: string
}

/** One record out of a body, before normalisation. */
export interface IntakeRecord {
  record: CloudTrailRecord
  shape: BodyShape
  envelope?: EnvelopeMeta
  /** Position of the record inside a multi-record body (S3 log file, CloudWatch Logs payload). */
  index?: number
}

export type ActorType =
  | 'Root'
  | 'IAMUser'
  | 'AssumedRole'
  | 'FederatedUser'
  | 'AWSService'
  | 'AWSAccount'
  | 'IdentityCenterUser'
  | 'Unknown'

export type Via = 'console' | 'cli' | 'sdk' | 'terraform' | 'cloudformation' | 'cdk' | 'pulumi' | 'service' | 'unknown'

/** Who made the call. Field names are part of the rule language (rules/README.md documents each). */
export interface Actor {
  type: ActorType
  arn?: string
  account?: string
  name?: string
  role?: string
  session?: string
  sourceIdentity?: string
  console: boolean
  mfa?: boolean
  service: boolean
  via: Via
}

export interface EcsContext {
  cluster?: string
  service?: string
  taskDefinition?: string
  container?: string | string[]
  task?: string
  /** RegisterTaskDefinition's container images that are not in the recipient account's own ECR. */
  externalImages?: string[]
}

/** What normalisation adds to a record. */
export interface EventContext {
  /** What an ECS call changed, from → to (core/change): set by the change-context step before the decision, when asked. */
  change?: Change
  actor: Actor
  env?: string
  ecs: EcsContext
  mutating: boolean
  /** recipient account + eventID: the idempotency key (one call can be delivered to several accounts). */
  eventKey: string
  account?: string
  region?: string
  /** EventBridge's `source` (aws.ecs), from the envelope or derived from eventSource. */
  source: string
  /** EventBridge's detail-type, from the envelope or derived from eventType. */
  detailType: string
}

/**
 * A normalised event. `subject` is what rule patterns see: the record's own fields, the context's fields
 * on top (they win over any same-named field an event might carry), and the EventBridge envelope's
 * `source`, `detail-type`, `account`, `region`, `detail` so a pattern copied from an EventBridge rule works.
 */
export interface NormalisedEvent {
  record: CloudTrailRecord
  shape: BodyShape
  envelope?: EnvelopeMeta
  context: EventContext
  subject: Readonly<Record<string, unknown>>
}
