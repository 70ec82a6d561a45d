import { jsonDepthExceeds } from './jsonDepth.js'
import { type Rejection, rejection } from './rejection.js'
import type { CloudTrailRecord, EnvelopeMeta, IntakeRecord } from './types.js'
import { utf8Length } from './utf8Length.js'
import { isPlainObject as isObject } from '../json.js'

export interface IntakeLimits {
  /** Largest body read, in UTF-8 bytes. SQS and EventBridge both allow 1 MiB messages. */
  maxBodyBytes: number
  /** Deepest nesting of objects and arrays accepted. CloudTrail ECS records nest about 8 deep. */
  maxDepth: number
}

export const DEFAULT_LIMITS: IntakeLimits = { maxBodyBytes: 1024 * 1024, maxDepth: 64 }

export interface ParsedBody {
  records: IntakeRecord[]
  /** Whole-body rejections, or the records of a multi-record body that could not be read. */
  rejections: Rejection[]
}

/**
 * The EventBridge detail-types that carry a CloudTrail record in `detail`.
 * https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-cloudtrail.html (events from AWS services via CloudTrail)
 */
export const CLOUDTRAIL_DETAIL_TYPES: ReadonlySet<string> = new Set([
  'AWS API Call via CloudTrail',
  'AWS Console Action via CloudTrail',
  'AWS Service Event via CloudTrail',
  'AWS Console Sign In via CloudTrail',
])

const fail = (r: Rejection): ParsedBody => ({ records: [], rejections: [r] })

/**
 * Turn one message body into CloudTrail records, whatever shape carried them: an EventBridge envelope,
 * a bare record (a target with InputPath $.detail), a CloudTrail S3 log file, a CloudWatch Logs
 * subscription payload (decoded), or an SNS notification whose Message is any of these.
 * Pure: never throws, never logs; what it cannot read comes back as a typed rejection.
 */
export function parseBody(body: string, limits: IntakeLimits = DEFAULT_LIMITS): ParsedBody {
  return parseText(body, limits, false)
}

function parseText(text: string, limits: IntakeLimits, insideSns: boolean): ParsedBody {
  if (utf8LengthExceeds(text, limits.maxBodyBytes))
    return fail(rejection('too-large', `body is over the ${limits.maxBodyBytes}-byte limit (intake.maxBodyBytes)`))
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    // V8 quotes a piece of the input in its message; the body is untrusted (it may hold a token), so drop it.
    const reason = (err as Error).message.replace(/,? ?"[\s\S]*"( is not valid JSON)?/, '').slice(0, 120)
    return fail(rejection('not-json', `body is not JSON: ${reason}`))
  }
  return fromValue(value, limits, insideSns)
}

/** A body that was already parsed (an archive reader parses a line to learn its shape): the same checks and shapes as parseBody. */
export function parseBodyValue(value: unknown, limits: IntakeLimits = DEFAULT_LIMITS): ParsedBody {
  return fromValue(value, limits, false)
}

function fromValue(value: unknown, limits: IntakeLimits, insideSns: boolean): ParsedBody {
  if (!isObject(value))
    return fail(rejection('not-object', `body is JSON ${Array.isArray(value) ? 'array' : typeof value}, not an object`))
  if (jsonDepthExceeds(value, limits.maxDepth))
    return fail(rejection('too-deep', `body nests deeper than ${limits.maxDepth} levels (intake.maxDepth)`))
  return fromObject(value, limits, insideSns)
}

function fromObject(value: Record<string, unknown>, limits: IntakeLimits, insideSns: boolean): ParsedBody {
  // SNS → SQS without raw message delivery wraps the published text in Message.
  if (value.Type === 'Notification' && typeof value.Message === 'string') {
    if (insideSns) return fail(rejection('unknown-shape', 'an SNS notification inside an SNS notification'))
    const inner = parseText(value.Message, limits, true)
    return {
      records: inner.records.map((r) => ({ ...r, shape: 'sns' as const })),
      rejections: inner.rejections.map((r) => ({ ...r, message: `in the SNS Message: ${r.message}` })),
    }
  }
  const detailType = value['detail-type']
  if (typeof detailType === 'string' && 'detail' in value) {
    if (!CLOUDTRAIL_DETAIL_TYPES.has(detailType))
      return fail(
        rejection(
          'unknown-shape',
          `EventBridge event of detail-type ${JSON.stringify(detailType.slice(0, 100))} does not carry a CloudTrail record; `
          + `narrow the bus rule to detail-type "AWS API Call via CloudTrail" (trailwarden pattern prints one)`,
        ),
      )
    const checked = checkRecord(value.detail)
    if (checked.rejection) return fail(checked.rejection)
    return { records: [{ record: checked.record, shape: 'eventbridge', envelope: envelopeMeta(value, detailType) }], rejections: [] }
  }
  if (Array.isArray(value.Records)) return fromList(value.Records, 's3-log-file', (r) => r)
  if (typeof value.messageType === 'string' && Array.isArray(value.logEvents)) {
    return fromList(value.logEvents, 'cloudwatch-logs', (e) => {
      const message = isObject(e) ? e.message : undefined
      if (typeof message !== 'string') return undefined
      try {
        return JSON.parse(message) as unknown
      } catch {
        return undefined
      }
    })
  }
  if ('eventSource' in value || 'eventName' in value || 'eventTime' in value || 'eventVersion' in value) {
    const checked = checkRecord(value)
    if (checked.rejection) return fail(checked.rejection)
    return { records: [{ record: checked.record, shape: 'record' }], rejections: [] }
  }
  const keys = Object.keys(value).slice(0, 8).map((k) => JSON.stringify(k.slice(0, 40)))
  return fail(
    rejection(
      'unknown-shape',
      `not an EventBridge envelope, CloudTrail record, S3 log file, CloudWatch Logs payload or SNS notification (keys: ${keys.join(', ') || 'none'})`,
    ),
  )
}

function fromList(items: unknown[], shape: 's3-log-file' | 'cloudwatch-logs', unwrap: (item: unknown) => unknown): ParsedBody {
  const records: IntakeRecord[] = []
  const rejections: Rejection[] = []
  items.forEach((item, index) => {
    const value = unwrap(item)
    if (value === undefined) {
      rejections.push(rejection('not-json', 'log event message is not a JSON CloudTrail record', index))
      return
    }
    const checked = checkRecord(value, index)
    if (checked.rejection) rejections.push(checked.rejection)
    else records.push({ record: checked.record, shape, index })
  })
  return { records, rejections }
}

/** A record must name its source, call and time; CloudTrail Insights records name none of them. */
type Checked = { record: CloudTrailRecord, rejection?: undefined } | { rejection: Rejection }

function checkRecord(value: unknown, index?: number): Checked {
  if (!isObject(value)) return { rejection: rejection('not-object', 'the CloudTrail record is not an object', index) }
  if (value.eventCategory === 'Insight' || value.eventType === 'AwsCloudTrailInsight')
    return {
      rejection: rejection(
        'not-an-api-call',
        'a CloudTrail Insights record (eventCategory Insight) describes call rates, not a call',
        index,
      ),
    }
  const missing = (['eventSource', 'eventName', 'eventTime'] as const).filter(
    (k) => typeof value[k] !== 'string' || (value[k]).length === 0,
  )
  if (missing.length > 0)
    return {
      rejection: rejection('missing-fields', `the CloudTrail record has no ${missing.join(', ')} (a string is required)`, index),
    }
  return { record: value as CloudTrailRecord }
}

function envelopeMeta(value: Record<string, unknown>, detailType: string): EnvelopeMeta {
  const meta: EnvelopeMeta = { detailType }
  if (typeof value.id === 'string') meta.id = value.id
  if (typeof value.source === 'string') meta.source = value.source
  if (typeof value.account === 'string') meta.account = value.account
  if (typeof value.region === 'string') meta.region = value.region
  if (typeof value.time === 'string') meta.time = value.time
  return meta
}

/**
 * Whether the body is over `max` bytes in UTF-8. A UTF-16 unit takes 1 to 3 bytes, so the length alone answers
 * most bodies; the rest are counted, up to the first byte over.
 */
function utf8LengthExceeds(text: string, max: number): boolean {
  if (text.length > max) return true
  if (text.length * 3 <= max) return false
  return utf8Length(text, max) > max
}
