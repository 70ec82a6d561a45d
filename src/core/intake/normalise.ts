import { sha256Hex } from '../digest.js'
import { describeActor } from './describeActor.js'
import { ecsResources } from './ecsResources.js'
import { externalImages } from './externalImages.js'
import { subjectOf } from './subject.js'
import { DEFAULT_SETTINGS, type NormaliseSettings } from './settings.js'
import type { BodyShape, CloudTrailRecord, EnvelopeMeta, EventContext, IntakeRecord, NormalisedEvent } from './types.js'
import { nonEmptyString as str, lookup } from '../json.js'

/** CloudTrail's eventType → the EventBridge detail-type that carries it. */
export const DETAIL_TYPE_OF: Record<string, string> = {
  AwsApiCall: 'AWS API Call via CloudTrail',
  AwsConsoleAction: 'AWS Console Action via CloudTrail',
  AwsServiceEvent: 'AWS Service Event via CloudTrail',
  AwsConsoleSignIn: 'AWS Console Sign In via CloudTrail',
}

/** Any JSON value may stand where CloudTrail writes a string: what is not a known eventType is an API call. */
function detailTypeOf(eventType: unknown): string {
  const known = typeof eventType === 'string' ? lookup(DETAIL_TYPE_OF, eventType) : undefined
  return known ?? 'AWS API Call via CloudTrail'
}

export const READ_ONLY_PREFIX = /^(Describe|List|Get|BatchGet|Lookup|Search|Head)[A-Z]/

/** A call changes something unless CloudTrail marks it readOnly or its name says it only reads. */
export function isMutating(record: CloudTrailRecord): boolean {
  if (record.readOnly === true || record.readOnly === 'true') return false
  if (record.readOnly === false || record.readOnly === 'false') return true
  return !READ_ONLY_PREFIX.test(record.eventName)
}

/** An id as it may key memories: printable ASCII, at most 128 characters (a CloudTrail eventID is a 36-character UUID). */
const PLAIN_ID = /^[\x20-\x7e]{1,128}$/

/**
 * A part of the event key as given when it is a plain id, else `sha256:` and a digest of it: the key names
 * idempotency memories downstream, so a 100 KB or binary eventID must not become a 100 KB key (issue 16). The
 * digest is of the id's JSON text, which spells a lone surrogate as \udXXX (UTF-8 would turn every one into U+FFFD,
 * and two different ids into one key).
 */
const keyPart = (id: string): string => (PLAIN_ID.test(id) ? id : `sha256:${sha256Hex(JSON.stringify(id), 32)}`)

/**
 * recipient account + eventID. One API call can be delivered to several accounts (cross-account calls),
 * each copy with the same eventID, so the account is part of the key. Records without an eventID (doc
 * samples) get a stable hash of their content instead.
 */
export function eventKeyOf(record: CloudTrailRecord, account: string | undefined): string {
  const id = str(record.eventID)
  return `${account === undefined ? 'unknown-account' : keyPart(account)}:${id === undefined ? `sha256:${sha256Hex(JSON.stringify(record), 32)}` : keyPart(id)}`
}

/** Add the context rules match on (actor, env, ecs, mutating, eventKey, …) to one record. Pure. */
export function normalise(input: IntakeRecord, settings: NormaliseSettings = DEFAULT_SETTINGS): NormalisedEvent {
  const { record, envelope } = input
  const actor = describeActor(record, settings)
  const ecs = ecsResources(record)
  const account = str(record.recipientAccountId) ?? envelope?.account ?? actor.account
  const region = str(record.awsRegion) ?? envelope?.region
  const images = externalImages(record, account)
  if (images) ecs.externalImages = images
  const context: EventContext = {
    actor,
    ecs,
    mutating: isMutating(record),
    eventKey: eventKeyOf(record, account),
    source: envelope?.source ?? `aws.${record.eventSource.split('.')[0]}`,
    detailType: envelope?.detailType ?? detailTypeOf(record.eventType),
  }
  if (account) context.account = account
  if (region) context.region = region
  const env = settings.environmentOf(account, ecs.cluster, region)
  if (env) context.env = env

  return new Normalised(record, input.shape, context, envelope)
}

/**
 * The subject is built only when something asks for it (explain, alert fields): matching reads fields in place.
 * A class, so the getter lives once on the prototype instead of a closure per event.
 */
class Normalised implements NormalisedEvent {
  #subject: Record<string, unknown> | undefined
  readonly envelope?: EnvelopeMeta
  constructor(
    readonly record: CloudTrailRecord,
    readonly shape: BodyShape,
    readonly context: EventContext,
    envelope: EnvelopeMeta | undefined,
  ) {
    if (envelope) this.envelope = envelope
  }

  get subject(): Record<string, unknown> {
    return (this.#subject ??= subjectOf(this.record, this.context))
  }
}
