import { ON_BEHALF_OF_CALLER, TYPE_MAP } from '../intake/describeActor.js'
import { DEFAULT_CLUSTER_CALLS } from '../intake/ecsResources.js'
import { OWN_ECR } from '../intake/externalImages.js'
import { DETAIL_TYPE_OF, READ_ONLY_PREFIX } from '../intake/normalise.js'
import { MAX_ARN, MAX_CLUSTER_NAME, type NormaliseOptions } from '../intake/settings.js'
import { CLI_PATTERNS, CONSOLE_EXACT, CONSOLE_PATTERNS, SDK_PATTERNS, SERVICE_AGENT, TOOL_PATTERNS } from '../intake/userAgent.js'
import { fieldOf, materialise, type PatternContext } from './patternSql.js'
import { portableRegex } from './portableRegex.js'
import { refuse } from './sqlRefusal.js'
import { and, cases, like, likeEscape, or, quote } from './sqlText.js'
import type { SqlValue } from './sqlValue.js'

/**
 * The context normalisation adds (src/core/intake: describeActor, ecsResources, externalImages, normalise), as SQL
 * columns computed once per row in a chain of CTEs (each column may use the ones before it). Each definition follows
 * its TypeScript twin clause by clause, from the same tables (TYPE_MAP, the user-agent patterns, OWN_ECR, the default
 * cluster calls) and the config's environments and mfa.enforcedUpstream. The SQL and the engine are held to the same
 * answers by test/core/sql/agreement.test.ts.
 */
export interface DerivedColumn {
  deps: string[]
  sql: (c: DeriveContext) => string
}

export interface DeriveContext extends PatternContext {
  settings: NormaliseOptions
}

/** The record's field at a path (JSON, a typed column, or absent). */
function rec(c: DeriveContext, ...path: string[]): SqlValue {
  const [first, ...rest] = path
  let v = materialise(c.dialect.recordField(first ?? '', first ?? ''), c)
  let at = first ?? ''
  for (const key of rest) {
    at = `${at}.${key}`
    v = fieldOf(v, key, at, c)
  }
  return v
}

/** nonEmptyString(value): the string, or NULL when it is absent, empty, or not a string. */
export function strSql(v: SqlValue, c: PatternContext): string {
  if (v.kind === 'text') return `NULLIF(${v.sql}, '')`
  if (v.kind !== 'json') return 'NULL'
  const e = c.dialect.element(v.sql, false)
  return `CASE WHEN ${e.isString} THEN NULLIF(${e.text}, '') END`
}

/** A string or a number, as text (family:revision). */
function strOrNumber(v: SqlValue, c: PatternContext): string {
  if (v.kind === 'text') return v.sql
  if (v.kind !== 'json') return 'NULL'
  const e = c.dialect.element(v.sql, false)
  return `CASE WHEN ${e.isString} OR ${e.isNumber} THEN ${e.text} END`
}

/** 'true' or true → TRUE, 'false' or false → FALSE, else NULL. */
function flag(v: SqlValue, c: PatternContext): string {
  if (v.kind === 'text') return `CASE WHEN ${v.sql} = 'true' THEN TRUE WHEN ${v.sql} = 'false' THEN FALSE END`
  if (v.kind !== 'json') return 'NULL'
  const e = c.dialect.element(v.sql, false)
  return `CASE WHEN (${e.isString} AND ${e.text} = 'true') OR (${e.isBool} AND ${e.boolean}) THEN TRUE WHEN (${e.isString} AND ${e.text} = 'false') OR (${e.isBool} AND NOT ${e.boolean}) THEN FALSE END`
}

const ARN = '^arn:[^:]*:[^:]*:[^:]*:[^:]*:'
const isArn = (c: PatternContext, s: string) => c.dialect.fixedRegexMatch(s, ARN)
/** parseArn(s).resource, or NULL. */
const resourceOf = (c: PatternContext, s: string) => `CASE WHEN ${isArn(c, s)} THEN regexp_replace(${s}, ${quote(ARN)}, '') END`
const slashes = (s: string) => `(length(${s}) - length(replace(${s}, '/', '')))`
/** s.split('/')[n], or NULL past the end. */
const segment = (s: string, n: number, sep = '/') =>
  `CASE WHEN (length(${s}) - length(replace(${s}, ${quote(sep)}, ''))) >= ${n} THEN split_part(${s}, ${quote(sep)}, ${n + 1}) END`
/** s.split('/').pop(). */
const lastSegment = (s: string) => `regexp_extract(${s}, '[^/]*\\z')`

/**
 * The columns whose ARN resource the ECS names read, each resource a column of its own (`<column>_resource`): ecsName
 * and clusterOfArn read it up to four times, and each read was a regular expression on every record.
 */
const ARN_SOURCES = ['tw_req_cluster', 'tw_res_service_cluster_arn', 'tw_res_cluster_arn', 'tw_req_service', 'tw_req_task', 'tw_res_task_arn', 'tw_res_service_task_definition', 'tw_req_task_definition'] as const
const resourceColumn = (s: (typeof ARN_SOURCES)[number]) => `${s}_resource`

/** ecsName in ecsResources.ts: a name as it is, or the last part of an ARN whose resource type is `kind`. */
function ecsName(s: (typeof ARN_SOURCES)[number], kind: string): string {
  const r = resourceColumn(s)
  return `CASE WHEN ${s} IS NULL THEN NULL WHEN ${r} IS NULL THEN ${s} WHEN ${like(r, `${likeEscape(kind)}/%`)} THEN ${lastSegment(r)} END`
}

/** clusterOfArn: service/CLUSTER/NAME, task/CLUSTER/ID, container-instance/CLUSTER/ID → CLUSTER. */
function clusterOfArn(s: (typeof ARN_SOURCES)[number]): string {
  const r = resourceColumn(s)
  return `CASE WHEN ${r} IS NOT NULL AND ${slashes(r)} >= 2 AND split_part(${r}, '/', 1) IN ('service', 'task', 'container-instance') THEN split_part(${r}, '/', 2) END`
}

function taskDefinitionName(s: (typeof ARN_SOURCES)[number]): string {
  const r = resourceColumn(s)
  return `CASE WHEN ${s} IS NULL THEN NULL WHEN ${r} IS NULL THEN ${s} WHEN ${like(r, 'task-definition/%')} THEN substr(${r}, 17) END`
}

/** A picomatch glob (bash mode: `*` crosses `/`) as LIKE, when it uses `*` alone; anything else is refused. */
function globLike(text: string, glob: string, field: string): string {
  if (/[?[\]{}()!+@\\]/.test(glob)) return refuse(field, `the glob ${JSON.stringify(glob)} uses glob syntax other than *, which has no exact SQL form`)
  return like(text, glob.split('*').map(likeEscape).join('%'))
}

const userAgentTest = (c: PatternContext, ua: string, patterns: readonly RegExp[]) =>
  or(...patterns.map((p) => c.dialect.fixedRegexMatch(ua, portableRegex(p))))
const isConsoleAgent = (c: PatternContext, ua: string) =>
  or(`${ua} IN (${[...CONSOLE_EXACT].map(quote).join(', ')})`, userAgentTest(c, ua, CONSOLE_PATTERNS))

export const DERIVED: Record<string, DerivedColumn> = {
  tw_ui_arn: { deps: [], sql: (c) => strSql(rec(c, 'userIdentity', 'arn'), c) },
  tw_ui_type: { deps: [], sql: (c) => strSql(rec(c, 'userIdentity', 'type'), c) },
  tw_ui_account: { deps: [], sql: (c) => strSql(rec(c, 'userIdentity', 'accountId'), c) },
  tw_ui_username: { deps: [], sql: (c) => strSql(rec(c, 'userIdentity', 'userName'), c) },
  tw_principal_id: { deps: [], sql: (c) => strSql(rec(c, 'userIdentity', 'principalId'), c) },
  tw_invoked_by: { deps: [], sql: (c) => strSql(rec(c, 'userIdentity', 'invokedBy'), c) },
  tw_access_key: { deps: [], sql: (c) => strSql(rec(c, 'userIdentity', 'accessKeyId'), c) },
  tw_issuer_arn: { deps: [], sql: (c) => strSql(rec(c, 'userIdentity', 'sessionContext', 'sessionIssuer', 'arn'), c) },
  tw_issuer_username: { deps: [], sql: (c) => strSql(rec(c, 'userIdentity', 'sessionContext', 'sessionIssuer', 'userName'), c) },
  tw_mfa_flag: { deps: [], sql: (c) => flag(rec(c, 'userIdentity', 'sessionContext', 'attributes', 'mfaAuthenticated'), c) },
  tw_mfa_used: {
    deps: [],
    sql: (c) => {
      const used = strSql(rec(c, 'additionalEventData', 'MFAUsed'), c)
      return `CASE WHEN lower(${used}) = 'yes' THEN TRUE WHEN lower(${used}) = 'no' THEN FALSE END`
    },
  },
  tw_user_agent: { deps: [], sql: (c) => strSql(rec(c, 'userAgent'), c) },
  tw_event_type: { deps: [], sql: (c) => strSql(rec(c, 'eventType'), c) },
  tw_event_source: { deps: [], sql: (c) => strSql(rec(c, 'eventSource'), c) },
  tw_event_name: { deps: [], sql: (c) => strSql(rec(c, 'eventName'), c) },
  tw_console_credential: { deps: [], sql: (c) => `COALESCE(${strSql(rec(c, 'sessionCredentialFromConsole'), c)} = 'true', FALSE)` },
  tw_recipient: { deps: [], sql: (c) => strSql(rec(c, 'recipientAccountId'), c) },
  tw_region: { deps: [], sql: (c) => strSql(rec(c, 'awsRegion'), c) },
  tw_source_identity: {
    deps: [],
    sql: (c) => `COALESCE(${strSql(rec(c, 'userIdentity', 'sessionContext', 'sourceIdentity'), c)}, ${strSql(rec(c, 'userIdentity', 'sourceIdentity'), c)})`,
  },
  tw_readonly: { deps: [], sql: (c) => flag(rec(c, 'readOnly'), c) },
  tw_req_cluster: { deps: [], sql: (c) => strSql(rec(c, 'requestParameters', 'cluster'), c) },
  tw_req_service: { deps: [], sql: (c) => strSql(rec(c, 'requestParameters', 'service'), c) },
  tw_req_task: { deps: [], sql: (c) => strSql(rec(c, 'requestParameters', 'task'), c) },
  tw_req_task_definition: { deps: [], sql: (c) => strSql(rec(c, 'requestParameters', 'taskDefinition'), c) },
  tw_res_service_cluster_arn: { deps: [], sql: (c) => strSql(rec(c, 'responseElements', 'service', 'clusterArn'), c) },
  tw_res_service_task_definition: { deps: [], sql: (c) => strSql(rec(c, 'responseElements', 'service', 'taskDefinition'), c) },
  tw_res_cluster_arn: { deps: [], sql: (c) => strSql(rec(c, 'responseElements', 'clusterArn'), c) },
  tw_res_task_arn: { deps: [], sql: (c) => strSql(rec(c, 'responseElements', 'taskArn'), c) },
  tw_event_time: { deps: [], sql: (c) => strSql(rec(c, 'eventTime'), c) },
  tw_event_id: { deps: [], sql: (c) => strSql(rec(c, 'eventID'), c) },
  tw_event_category: { deps: [], sql: (c) => strSql(rec(c, 'eventCategory'), c) },

  tw_arn_resource: { deps: ['tw_ui_arn'], sql: (c) => resourceOf(c, 'tw_ui_arn') },
  tw_arn_service: { deps: ['tw_ui_arn'], sql: (c) => `CASE WHEN ${isArn(c, 'tw_ui_arn')} THEN split_part(tw_ui_arn, ':', 3) END` },
  tw_arn_account: { deps: ['tw_ui_arn'], sql: (c) => `CASE WHEN ${isArn(c, 'tw_ui_arn')} THEN split_part(tw_ui_arn, ':', 5) END` },
  tw_issuer_resource: {
    deps: [],
    sql: (c) => {
      const raw = rec(c, 'userIdentity', 'sessionContext', 'sessionIssuer', 'arn')
      const s = raw.kind === 'text' ? raw.sql : raw.kind === 'json' ? `CASE WHEN ${c.dialect.element(raw.sql, false).isString} THEN ${c.dialect.element(raw.sql, false).text} END` : 'NULL'
      return resourceOf(c, s)
    },
  },
  ...Object.fromEntries(ARN_SOURCES.map((s): [string, DerivedColumn] => [resourceColumn(s), { deps: [s], sql: (c) => resourceOf(c, s) }])),
  tw_mutating: {
    deps: ['tw_readonly', 'tw_event_name'],
    sql: (c) => `COALESCE(NOT tw_readonly, NOT ${c.dialect.fixedRegexMatch('tw_event_name', portableRegex(READ_ONLY_PREFIX))})`,
  },
  tw_source: { deps: ['tw_event_source'], sql: () => `'aws.' || split_part(tw_event_source, '.', 1)` },
  tw_detail_type: {
    deps: ['tw_event_type'],
    sql: () => cases(Object.entries(DETAIL_TYPE_OF).map(([k, v]) => [`tw_event_type = ${quote(k)}`, quote(v)]), quote('AWS API Call via CloudTrail')),
  },

  tw_actor_type: {
    deps: ['tw_ui_type', 'tw_ui_arn', 'tw_arn_resource', 'tw_arn_service'],
    sql: () => {
      const mapped = cases(Object.entries(TYPE_MAP).map(([k, v]) => [`tw_ui_type = ${quote(k)}`, quote(v)]), `'Unknown'`)
      const fromArn = cases([
        [`tw_arn_resource = 'root'`, `'Root'`],
        [`tw_arn_service = 'iam' AND tw_arn_resource LIKE 'user/%'`, `'IAMUser'`],
        [`tw_arn_service = 'sts' AND tw_arn_resource LIKE 'assumed-role/%'`, `'AssumedRole'`],
        [`tw_arn_service = 'sts' AND tw_arn_resource LIKE 'federated-user/%'`, `'FederatedUser'`],
      ], `'Unknown'`)
      return `CASE WHEN tw_ui_type IS NOT NULL THEN ${mapped} WHEN tw_arn_resource IS NOT NULL THEN ${fromArn} ELSE 'Unknown' END`
    },
  },
  tw_role_raw: {
    deps: ['tw_actor_type', 'tw_issuer_resource', 'tw_arn_resource', 'tw_issuer_username'],
    sql: () => {
      const issuerRole = `CASE WHEN tw_issuer_resource LIKE 'role/%' THEN ${lastSegment('tw_issuer_resource')} END`
      const assumed = `CASE WHEN tw_arn_resource LIKE 'assumed-role/%' THEN ${segment('tw_arn_resource', 1)} END`
      return `CASE WHEN tw_actor_type = 'AssumedRole' THEN COALESCE(${issuerRole}, ${assumed}, tw_issuer_username) END`
    },
  },
  tw_session_raw: {
    deps: ['tw_actor_type', 'tw_arn_resource', 'tw_principal_id'],
    sql: () => {
      const assumed = `CASE WHEN tw_arn_resource LIKE 'assumed-role/%' THEN ${segment('tw_arn_resource', 2)} END`
      return `CASE WHEN tw_actor_type = 'AssumedRole' THEN COALESCE(${assumed}, ${segment('tw_principal_id', 1, ':')}) END`
    },
  },
  tw_actor_role: { deps: ['tw_role_raw'], sql: () => `NULLIF(tw_role_raw, '')` },
  tw_actor_session: { deps: ['tw_session_raw'], sql: () => `NULLIF(tw_session_raw, '')` },
  tw_actor_name: {
    deps: ['tw_actor_type', 'tw_ui_username', 'tw_arn_resource', 'tw_session_raw', 'tw_invoked_by', 'tw_principal_id'],
    sql: () => `NULLIF(CASE tw_actor_type WHEN 'Root' THEN COALESCE(tw_ui_username, 'root') WHEN 'IAMUser' THEN COALESCE(tw_ui_username, ${lastSegment('tw_arn_resource')}) WHEN 'AssumedRole' THEN tw_session_raw WHEN 'FederatedUser' THEN CASE WHEN tw_arn_resource LIKE 'federated-user/%' THEN substr(tw_arn_resource, 16) ELSE tw_ui_username END WHEN 'AWSService' THEN tw_invoked_by ELSE COALESCE(tw_ui_username, tw_principal_id) END, '')`,
  },
  tw_actor_account: { deps: ['tw_ui_account', 'tw_arn_account'], sql: () => `NULLIF(COALESCE(tw_ui_account, tw_arn_account), '')` },
  tw_actor_service: {
    deps: ['tw_actor_type', 'tw_event_type', 'tw_role_raw', 'tw_issuer_resource', 'tw_invoked_by'],
    sql: () => or(
      `tw_actor_type = 'AWSService'`,
      `COALESCE(tw_event_type = 'AwsServiceEvent', FALSE)`,
      `COALESCE(tw_role_raw LIKE 'AWSServiceRoleFor%', FALSE)`,
      `COALESCE(tw_issuer_resource LIKE 'role/aws-service-role/%', FALSE)`,
      `COALESCE(tw_invoked_by NOT IN (${[...ON_BEHALF_OF_CALLER].map(quote).join(', ')}), FALSE)`,
    ),
  },
  tw_actor_console: {
    deps: ['tw_console_credential', 'tw_event_type', 'tw_user_agent'],
    sql: (c) => or('tw_console_credential', `COALESCE(tw_event_type = 'AwsConsoleSignIn', FALSE)`, `COALESCE(${isConsoleAgent(c, 'tw_user_agent')}, FALSE)`),
  },
  tw_account: { deps: ['tw_recipient', 'tw_actor_account'], sql: () => `COALESCE(tw_recipient, tw_actor_account)` },
  tw_actor_via: {
    deps: ['tw_actor_console', 'tw_invoked_by', 'tw_actor_service', 'tw_user_agent'],
    sql: (c) => {
      const ua = 'tw_user_agent'
      const branches: Array<[string, string]> = [
        ['tw_actor_console', `'console'`],
        [`COALESCE(tw_invoked_by = 'cloudformation.amazonaws.com', FALSE)`, `'cloudformation'`],
        ['tw_actor_service', `'service'`],
        [`${ua} IS NULL`, `'unknown'`],
        [isConsoleAgent(c, ua), `'console'`],
        ...TOOL_PATTERNS.map(([p, via]): [string, string] => [c.dialect.fixedRegexMatch(ua, portableRegex(p)), quote(via)]),
        [userAgentTest(c, ua, CLI_PATTERNS), `'cli'`],
        [userAgentTest(c, ua, SDK_PATTERNS), `'sdk'`],
        [c.dialect.fixedRegexMatch(ua, portableRegex(SERVICE_AGENT)), `'service'`],
      ]
      return cases(branches, `'unknown'`)
    },
  },
  tw_actor_mfa: {
    deps: ['tw_ui_arn', 'tw_issuer_arn', 'tw_mfa_flag', 'tw_mfa_used', 'tw_actor_type', 'tw_access_key'],
    sql: (c) => {
      const globs = c.settings.mfaEnforcedUpstream ?? []
      const upstream = (arn: string) => (globs.length === 0 ? 'FALSE' : `COALESCE(length(${arn}) <= ${MAX_ARN} AND (${or(...globs.map((g) => globLike(arn, g, 'actor.mfa')))}), FALSE)`)
      return cases([
        [or(upstream('tw_ui_arn'), upstream('tw_issuer_arn')), 'TRUE'],
        ['tw_mfa_flag IS NOT NULL', 'tw_mfa_flag'],
        ['tw_mfa_used IS NOT NULL', 'tw_mfa_used'],
        [`tw_actor_type IN ('IAMUser', 'Root') AND COALESCE(tw_access_key LIKE 'AKIA%', FALSE)`, 'FALSE'],
      ], 'NULL')
    },
  },

  tw_ecs_cluster: {
    deps: ['tw_event_source', 'tw_event_name', 'tw_req_cluster', 'tw_req_cluster_resource', 'tw_res_service_cluster_arn', 'tw_res_service_cluster_arn_resource', 'tw_res_cluster_arn', 'tw_res_cluster_arn_resource', 'tw_req_service', 'tw_req_service_resource', 'tw_req_task', 'tw_req_task_resource'],
    sql: (c) => {
      const defaultCluster = `CASE WHEN tw_event_source = 'ecs.amazonaws.com' AND tw_event_name IN (${[...DEFAULT_CLUSTER_CALLS].map(quote).join(', ')}) THEN 'default' END`
      return `NULLIF(COALESCE(${[
        ecsName('tw_req_cluster', 'cluster'),
        strSql(rec(c, 'requestParameters', 'clusterName'), c),
        strSql(rec(c, 'responseElements', 'cluster', 'clusterName'), c),
        ecsName('tw_res_service_cluster_arn', 'cluster'),
        ecsName('tw_res_cluster_arn', 'cluster'),
        clusterOfArn('tw_req_service'),
        clusterOfArn('tw_req_task'),
        defaultCluster,
      ].join(', ')}), '')`
    },
  },
  tw_ecs_service: {
    deps: ['tw_req_service', 'tw_req_service_resource'],
    sql: (c) => `NULLIF(COALESCE(${ecsName('tw_req_service', 'service')}, ${strSql(rec(c, 'requestParameters', 'serviceName'), c)}, ${strSql(rec(c, 'responseElements', 'service', 'serviceName'), c)}), '')`,
  },
  tw_ecs_task_definition: {
    deps: ['tw_res_service_task_definition', 'tw_res_service_task_definition_resource', 'tw_req_task_definition', 'tw_req_task_definition_resource'],
    sql: (c) => {
      const family = strSql(rec(c, 'responseElements', 'taskDefinition', 'family'), c)
      const revision = strOrNumber(rec(c, 'responseElements', 'taskDefinition', 'revision'), c)
      const registered = `CASE WHEN ${family} IS NOT NULL THEN COALESCE(${family} || ':' || ${revision}, ${family}) END`
      return `NULLIF(COALESCE(${registered}, ${taskDefinitionName('tw_res_service_task_definition')}, ${taskDefinitionName('tw_req_task_definition')}, ${strSql(rec(c, 'requestParameters', 'family'), c)}), '')`
    },
  },
  tw_ecs_task: {
    deps: ['tw_req_task', 'tw_req_task_resource', 'tw_res_task_arn', 'tw_res_task_arn_resource'],
    sql: () => `NULLIF(COALESCE(${ecsName('tw_req_task', 'task')}, ${ecsName('tw_res_task_arn', 'task')}), '')`,
  },
  tw_ecs_container: {
    deps: [],
    sql: (c) => {
      const names = containerField(c, 'name')
      const one = strSql(rec(c, 'requestParameters', 'container'), c)
      const two = strSql(rec(c, 'responseElements', 'containerName'), c)
      return `CASE WHEN ${one} IS NOT NULL THEN ${c.dialect.textArray([one])} WHEN ${two} IS NOT NULL THEN ${c.dialect.textArray([two])} WHEN ${c.dialect.length(names)} > 0 THEN ${names} END`
    },
  },
  tw_ecs_external_images: {
    deps: ['tw_account'],
    sql: (c) => {
      const images = containerField(c, 'image')
      const re = portableRegex(OWN_ECR)
      const v = c.fresh()
      const own = and(c.dialect.fixedRegexMatch(v, re), 'tw_account IS NOT NULL', `regexp_extract(${v}, ${quote(re)}, 1) = tw_account`)
      const kept = c.dialect.filter(images, v, `NOT COALESCE(${own}, FALSE)`)
      return `CASE WHEN ${c.dialect.length(kept)} > 0 THEN ${kept} END`
    },
  },
  tw_env: {
    deps: ['tw_account', 'tw_ecs_cluster', 'tw_region'],
    sql: (c) => cases((c.settings.environments ?? []).map((env) => [and(
      env.accounts ? `COALESCE(tw_account IN (${env.accounts.map(quote).join(', ')}), FALSE)` : 'TRUE',
      env.clusters ? `COALESCE(length(tw_ecs_cluster) <= ${MAX_CLUSTER_NAME} AND (${or(...env.clusters.map((g) => globLike('tw_ecs_cluster', g, 'env')))}), FALSE)` : 'TRUE',
      env.regions ? `COALESCE(tw_region IN (${env.regions.map(quote).join(', ')}), FALSE)` : 'TRUE',
    ), quote(env.name)]), 'NULL'),
  },
}

/** requestParameters.containerDefinitions[].KEY, the strings among them (an empty list when none or not an array). */
function containerField(c: DeriveContext, key: string): string {
  const defs = rec(c, 'requestParameters', 'containerDefinitions')
  if (defs.kind !== 'json') return c.dialect.textArray([])
  const v = c.fresh()
  const n = c.fresh()
  const each = strSql({ kind: 'json', sql: c.dialect.child(v, key) }, c)
  return `COALESCE(${c.dialect.filter(c.dialect.transform(c.dialect.elements(defs.sql), v, each), n, `${n} IS NOT NULL`)}, ${c.dialect.textArray([])})`
}
