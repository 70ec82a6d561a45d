import { z } from 'zod'
import { DURATION, SEVERITIES } from '../core/rules/language/ruleSchema.js'
import { listName, listOverride } from '../core/rules/engine/listsFile.js'

const accountId = z.string().regex(/^\d{12}$/, { error: 'an account id is 12 digits (quote it in YAML: "111122223333")' })
const channel = z.string().min(1)

export const environmentSchema = z.strictObject({
  accounts: z.array(accountId).min(1).optional().describe('Recipient account ids in this environment.'),
  clusters: z.array(z.string().min(1)).min(1).optional().describe('ECS cluster-name globs, e.g. prod-*.'),
  regions: z.array(z.string().min(1)).min(1).optional(),
})

export const routeSchema = z.strictObject({
  match: z
    .strictObject({
      severity: z.array(z.enum(SEVERITIES)).optional(),
      minSeverity: z.enum(SEVERITIES).optional().describe('This severity and above.'),
      tags: z.array(z.string()).optional().describe('Any of these tags.'),
      env: z.array(z.string()).optional(),
      rule: z.array(z.string()).optional().describe('Rule ids.'),
    })
    .default({}),
  channel,
  mention: z.string().min(1).optional(),
  continue: z.boolean().default(false).describe('Deliver to later matching routes as well.'),
})

/** trailwarden.yaml (path from TRAILWARDEN_CONFIG). Every key is optional; unknown keys are errors. */
export const configSchema = z
  .strictObject({
    environments: z
      .record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'an environment name is lowercase, e.g. prod' }), environmentSchema)
      .default({})
      .describe('Named environments; the first whose criteria all match names the event\'s env.'),
    lists: z
      .record(listName, listOverride)
      .default({})
      .describe('Named lists rules reference with { list: NAME }: [values] replaces the rule pack\'s list of that name, { append: [values] } adds to it.'),
    mfa: z
      .strictObject({
        enforcedUpstream: z.array(z.string().min(1)).default([]).describe('ARN globs of principals whose MFA an identity provider enforces.'),
      })
      .default({ enforcedUpstream: [] }),
    accounts: z
      .record(accountId, z.strictObject({ alias: z.string().min(1) }))
      .default({})
      .describe('Account aliases shown in alerts.'),
    slack: z
      .strictObject({
        defaultChannel: channel.optional(),
        fallbackChannel: channel.optional().describe('Where alerts go when their channel is missing or the bot is not in it.'),
        routes: z.array(routeSchema).default([]),
        stormThreshold: z.number().int().positive().default(20).describe('Alerts a minute per channel before digests.'),
        perChannelPerSecond: z.number().positive().max(1000).default(1).describe('chat.postMessage calls per channel per second (Slack\'s limit is about 1).'),
        actions: z
          .strictObject({
            allowed: z
              .array(z.string().regex(/^(?:[UWS][A-Z0-9]{2,20}|@?[a-z0-9][a-z0-9._-]{0,79})$/, { error: 'a Slack user id (U…), user-group id (S…) or user-group handle (@security-oncall)' }))
              .default([])
              .describe('Who may acknowledge, silence and vouch from an alert (with SLACK_APP_TOKEN): user ids, user-group ids or handles. Empty: nobody.'),
          })
          .optional()
          .describe('The buttons alerts carry when SLACK_APP_TOKEN is set (Socket Mode).'),
      })
      .default({ routes: [], stormThreshold: 20, perChannelPerSecond: 1 }),
    heartbeat: z
      .strictObject({ silentFor: z.string().regex(DURATION), channel: channel.optional() })
      .optional()
      .describe('Alert when no event has arrived for this long.'),
    eventbridge: z
      .strictObject({
        bus: z.string().min(1).describe('Event bus name or ARN every alert is also published to (PutEvents).'),
        detailType: z.string().min(1).default('trailwarden Alert'),
      })
      .optional()
      .describe('Publish alerts to EventBridge too, for PagerDuty, Step Functions or a SIEM.'),
    intake: z
      .strictObject({
        maxBodyBytes: z.number().int().positive().max(16 * 1024 * 1024).default(1024 * 1024),
        maxDepth: z.number().int().min(8).max(1000).default(64),
      })
      .default({ maxBodyBytes: 1024 * 1024, maxDepth: 64 }),
  })
  .describe('trailwarden configuration')

export type Config = z.output<typeof configSchema>

export const DEFAULT_CONFIG: Config = configSchema.parse({})
