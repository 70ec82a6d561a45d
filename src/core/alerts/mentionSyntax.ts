import { asText } from './asText.js'
import { text } from './mrkdwn.js'

/**
 * Mentions notify only in Slack's own syntax: `<@U…>` a user, `<!subteam^S…>` a user group, `<!here>`, `<!channel>`
 * (https://api.slack.com/reference/surfaces/formatting#mentioning-users and #mentioning-groups); a plain
 * `@security-oncall` is text and pages nobody. A config names a user group by its handle; the Slack sink maps
 * handles to ids with usergroups.list (sinks/slack/userGroupResolver.ts) and hands the map to the renderer.
 */

const SPECIAL = new Set(['here', 'channel', 'everyone'])
const GROUP_ID = /^S[A-Z0-9]{6,}$/
const USER_ID = /^[UW][A-Z0-9]{6,}$/
const USER_SYNTAX = /^<@([UW][A-Z0-9]{6,})>$/
const GROUP_SYNTAX = /^<!subteam\^(S[A-Z0-9]{6,})(?:\|[^<>|]*)?>$/

/** A handle as Slack compares it: without the leading @, lowercase (handles are lowercase in Slack). */
export const handleKey = (mention: string): string => mention.replace(/^@/, '').toLowerCase()

/**
 * Whether a mention needs usergroups.list to notify anyone: not here/channel/everyone, not a user or group id, not
 * already in Slack's syntax. Such a mention is a user-group handle (`@platform-oncall`).
 */
export function isHandle(mention: string): boolean {
  const m = mention.replace(/^@/, '')
  return m.length > 0 && !SPECIAL.has(m) && !GROUP_ID.test(m) && !USER_ID.test(m) && !USER_SYNTAX.test(mention) && !GROUP_SYNTAX.test(mention)
}

/** Every distinct handle among these mentions (each may hold several, space-separated), in first-seen order. */
export function mentionHandles(mentions: Iterable<string | undefined>): string[] {
  const out = new Set<string>()
  for (const m of mentions) for (const one of (m ?? '').split(/\s+/)) if (one && isHandle(one)) out.add(handleKey(one))
  return [...out]
}

/**
 * A mention from the config (trusted) in Slack's syntax: user and group ids and their Slack syntax become real
 * mentions, here/channel/everyone the special ones, a handle found in `userGroups` its group; anything else (an
 * unknown handle) is shown as inert text and notifies nobody — validate and readiness say so beforehand.
 */
export function mentionSyntax(mention: unknown, userGroups?: Readonly<Record<string, string>>): string {
  const raw = asText(mention)
  const m = raw.replace(/^@/, '')
  if (SPECIAL.has(m)) return `<!${m}>`
  if (GROUP_ID.test(m)) return `<!subteam^${m}>`
  if (USER_ID.test(m)) return `<@${m}>`
  const user = USER_SYNTAX.exec(raw)?.[1]
  if (user) return `<@${user}>`
  const group = GROUP_SYNTAX.exec(raw)?.[1]
  if (group) return `<!subteam^${group}>`
  const key = handleKey(raw)
  const id = userGroups && Object.hasOwn(userGroups, key) ? userGroups[key] : undefined
  if (typeof id === 'string' && GROUP_ID.test(id)) return `<!subteam^${id}>`
  return text(mention, 80)
}

/** Several mentions (space-separated, as a grouped alert's target carries them), each in Slack's syntax. */
export function mentionsSyntax(mentions: unknown, userGroups?: Readonly<Record<string, string>>): string {
  return asText(mentions).split(/\s+/).filter(Boolean).slice(0, 10).map((m) => mentionSyntax(m, userGroups)).join(' ')
}

/**
 * The mentions with every handle found in `userGroups` replaced by its group in Slack's syntax (`<!subteam^S…>`);
 * the rest as they were (mentionSyntax shows an unknown handle inert). Pure: the sink resolves, the core substitutes.
 */
export function resolveMentions(mentions: string | undefined, userGroups: Readonly<Record<string, string>>): string | undefined {
  if (mentions === undefined) return undefined
  return mentions.split(/\s+/).filter(Boolean).map((m) => {
    if (!isHandle(m)) return m
    const key = handleKey(m)
    const id = Object.hasOwn(userGroups, key) ? userGroups[key] : undefined
    return typeof id === 'string' && GROUP_ID.test(id) ? `<!subteam^${id}>` : m
  }).join(' ')
}
