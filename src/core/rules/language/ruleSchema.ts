import { z } from 'zod'
import { listName, listOverride } from '../engine/listsFile.js'
import { CHANGE_FIELD_DOCS } from '../../change/changeFields.js'

/** Severity, lowest first: routes and metrics compare them by this order. */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const
export type Severity = (typeof SEVERITIES)[number]

export const DURATION = /^(\d+)(s|m|h|d)$/
const duration = z.string().regex(DURATION, { error: 'a duration is a number and a unit: 30s, 15m, 1h, 7d' })
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'a date is YYYY-MM-DD, e.g. 2027-03-31' })
const pattern = z
  .record(z.string(), z.unknown(), { error: 'a pattern is a mapping of field names to lists of values' })
  // Editors complete the derived change fields (rules/README.md, "Change fields"); any other field name stays allowed.
  .meta({ properties: Object.fromEntries(Object.entries(CHANGE_FIELD_DOCS).map(([field, description]) => [field, { type: 'array', description }])) })

export const exceptionSchema = z.strictObject({
  reason: z.string().min(1, { error: 'say why this exception exists' }).describe('Why the exception exists; shown when it suppresses an alert.'),
  expires: date.optional().describe('Last day (UTC) the exception applies; validate warns 14 days ahead.'),
  match: pattern.describe('An event pattern; when it matches too, the alert is suppressed.'),
})

const testEvent = z.union([
  z.string().describe('A JSON file, relative to the rule file: an EventBridge envelope, a CloudTrail record, or an S3 log file with one record.'),
  z.strictObject({
    base: z.string().describe('The file to start from.'),
    set: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Record fields to change, by dotted path (requestParameters.desiredCount); null removes a field.'),
  }),
  z.record(z.string(), z.unknown()).describe('An inline CloudTrail record or envelope.'),
])

export const testCaseSchema = z.strictObject({
  name: z.string().min(1),
  event: testEvent,
  previous: z
    .array(testEvent)
    .optional()
    .describe('Earlier events of the same service or task-definition family, oldest first: the state they leave is what change.* compares this event with (rules/README.md, "Change fields").'),
  expect: z.enum(['match', 'no-match', 'suppressed']),
  severity: z.enum(SEVERITIES).optional().describe('With expect: match, the severity the alert must have (after escalate).'),
  at: date.optional().describe('The day the case is evaluated on (for exceptions with expiry); default: today, and for a suppressed case the last day its exceptions applied, reported lapsed (rules/README.md).'),
  env: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'an environment name is lowercase, e.g. prod' })
    .optional()
    .describe('Evaluate as if the event were in this environment; default: the config\'s environments decide.'),
  lists: z
    .record(listName, listOverride)
    .optional()
    .describe('Lists for this case only, over the rule set\'s: [values] replaces a list, { append: [values] } adds to it.'),
})

export const ruleSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'an id is kebab-case: lowercase letters, digits and single dashes' })
      .describe('Unique, kebab-case, equal to the file name without .yaml.'),
    title: z.string().min(1).max(150).describe('One line; the alert header.'),
    severity: z.enum(SEVERITIES),
    description: z.string().min(1).describe('What the rule catches and why it matters.'),
    runbook: z.string().min(1).optional().describe('What to do when it fires: text or a URL.'),
    tags: z.array(z.string().min(1)).default([]).describe('Free labels; routes can match them. MITRE ATT&CK ids welcome.'),
    mode: z.enum(['alert', 'shadow']).default('alert').describe('shadow: evaluate and count in metrics, never notify.'),
    references: z.array(z.string().min(1)).optional().describe('Sources: detections this rule follows, docs.'),
    falsePositives: z.string().min(1).optional().describe('When the rule fires on something legitimate.'),
    match: pattern.describe('An EventBridge event pattern over the record, its envelope and the normalised context.'),
    unless: z.array(exceptionSchema).default([]).describe('Exceptions; any one matching suppresses the alert.'),
    escalate: z
      .array(
        z.strictObject({
          severity: z.enum(SEVERITIES),
          match: pattern.describe('When this pattern matches too, the alert takes this severity.'),
        }),
      )
      .default([])
      .describe('Severity by context (e.g. high in prod); the first matching entry wins, else severity.'),
    dedup: z
      .strictObject({
        by: z.array(z.string().min(1)).min(1).describe('Fields whose values make up the dedup key, e.g. actor.arn.'),
        window: duration,
      })
      .optional(),
    notify: z
      .strictObject({
        channel: z.string().min(1).optional(),
        mention: z.string().min(1).optional().describe('e.g. @platform-oncall or a Slack user group id.'),
      })
      .optional(),
    tests: z.array(testCaseSchema).default([]),
  })
  .describe('A trailwarden rule: one per .yaml file under rules/.')

export type RuleDocument = z.output<typeof ruleSchema>
export type RuleTestCase = z.output<typeof testCaseSchema>

/** Milliseconds in a duration like 15m. */
export function durationMs(text: string): number {
  const m = DURATION.exec(text)
  if (!m) return Number.NaN
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd']
  return Number(m[1]) * unit
}
