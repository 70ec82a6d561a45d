import { handleKey, mentionHandles } from '../core/alerts/mentionSyntax.js'
import type { ActiveSet } from '../daemon/activeSet.js'
import { UserGroupResolver } from '../sinks/slack/userGroupResolver.js'
import { classifySlackError } from '../sinks/slack/classifySlackError.js'
import { createLogger, createSlackClient } from './clients.js'

export interface MentionCheck {
  problems: string[]
  warnings: string[]
}

/** Where each handle is written: the config's routes, or a rule's notify (file and id). */
function whereMentioned(active: ActiveSet, configPath: string | undefined): Map<string, string[]> {
  const where = new Map<string, string[]>()
  const add = (mention: string | undefined, place: string) => {
    for (const h of mentionHandles([mention])) where.set(h, [...(where.get(h) ?? []), place])
  }
  for (const r of active.config.slack.routes) add(r.mention, `${configPath ?? 'trailwarden.yaml'} (slack.routes → ${r.channel})`)
  for (const rule of active.ruleSet.rules) add(rule.notify?.mention, `${rule.file} ${rule.id} (notify)`)
  return where
}

/**
 * `validate`'s check of the user-group handles a config and its rules mention (`@platform-oncall`), the same
 * resolution the daemon makes at start (usergroups.list). With SLACK_BOT_TOKEN set: an unknown handle is an error
 * (the alert would show it as text and page nobody); usergroups.list refused for the token (missing_scope,
 * invalid_auth) is an error too, since no handle could ever resolve; a transient failure (ratelimited, 5xx, network)
 * is a warning that the handles were not checked. Without a token the handles cannot be checked: a warning says so.
 * The daemon itself never refuses to start over a mention: it warns on /readyz and posts with the handle inert.
 */
export async function checkMentions(
  active: ActiveSet,
  env: Readonly<Record<string, string | undefined>>,
  configPath: string | undefined,
  now: () => number,
): Promise<MentionCheck> {
  const handles = active.sink.mentionHandles ?? []
  if (handles.length === 0) return { problems: [], warnings: [] }
  const list = handles.map((h) => `@${h}`).join(', ')
  const token = env.SLACK_BOT_TOKEN
  if (!token) return { problems: [], warnings: [`mentions not checked (SLACK_BOT_TOKEN is not set; validate with it to resolve them as run does): ${list}`] }
  const client = createSlackClient(token, createLogger('silent'), env.SLACK_API_URL)
  const r = await new UserGroupResolver(client, { now }).resolve(handles)
  if (r.error) {
    const hint = r.error === 'missing_scope' ? ' — add the usergroups:read scope to the Slack app' : ''
    const line = `usergroups.list failed (${r.error}): mentions not checked: ${list}${hint}`
    return classifySlackError({ code: 'slack_webapi_platform_error', data: { error: r.error } }).kind === 'configuration' ? { problems: [line], warnings: [] } : { problems: [], warnings: [line] }
  }
  const where = whereMentioned(active, configPath)
  const problems = r.unknown.map((h) => `${(where.get(handleKey(h)) ?? ['trailwarden.yaml']).join(', ')}: mention "@${h}" is not the handle of a Slack user group (usergroups.list): it would show as text and page nobody — fix the handle, or use a user id (U…), a group id (S…), here or channel`)
  return { problems, warnings: [] }
}
