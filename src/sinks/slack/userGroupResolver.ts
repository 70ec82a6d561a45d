import type { WebClient } from '@slack/web-api'
import { handleKey } from '../../core/alerts/mentionSyntax.js'
import { classifySlackError } from './classifySlackError.js'

export interface UserGroupResolution {
  /** handle (lowercase, no @) → user-group id, for the handles asked about that Slack knows. */
  groups: Record<string, string>
  /** The handles asked about that are not (or could not be checked to be) a user group's handle. */
  unknown: string[]
  /** Set when usergroups.list failed: Slack's error code (missing_scope, ratelimited, …); `groups` is then the last good answer's. */
  error?: string
}

export interface UserGroupResolverOptions {
  now: () => number
  /** An answer younger than this is reused (a burst of reloads under --watch makes one call). */
  maxAgeMs?: number
  /** Most groups kept from one answer: a workspace's list is bounded here, whatever it holds. */
  maxGroups?: number
}

const HANDLE_MAX = 100
const GROUP_ID = /^S[A-Z0-9]{6,30}$/

/**
 * Resolves user-group handles (`@platform-oncall`) to their ids with usergroups.list (scope usergroups:read;
 * https://api.slack.com/methods/usergroups.list: every user group of the workspace, `{ ok, usergroups: [{ id,
 * handle, name, … }] }`, no paging; disabled groups only with include_disabled, which we do not ask for — a disabled
 * group pages nobody). No handle to resolve, no call: a workspace without that scope is fine until a config names a
 * handle. The answer is cached (bounded in groups and handle length) and reused for `maxAgeMs` when it knows every
 * handle asked (a reload naming a group created since start asks again); a failing call keeps
 * the last good answer and says why, so the caller warns instead of refusing to start.
 */
export class UserGroupResolver {
  private cache: { at: number, groups: Map<string, string> } | undefined

  constructor(
    private readonly client: WebClient,
    private readonly options: UserGroupResolverOptions,
  ) {}

  async resolve(handles: readonly string[]): Promise<UserGroupResolution> {
    const wanted = [...new Set(handles.map(handleKey))]
    if (wanted.length === 0) return { groups: {}, unknown: [] }
    let error: string | undefined
    const { now, maxAgeMs = 10_000 } = this.options
    // A fresh answer that knows every handle is reused; a handle it lacks may be a group created since: ask again.
    if (!this.cache || now() - this.cache.at >= maxAgeMs || wanted.some((h) => !this.cache?.groups.has(h))) {
      try {
        this.cache = { at: now(), groups: await this.list() }
      } catch (err) {
        error = classifySlackError(err).code
      }
    }
    const known = this.cache?.groups ?? new Map<string, string>()
    const groups: Record<string, string> = {}
    const unknown: string[] = []
    for (const h of wanted) {
      const id = known.get(h)
      if (id === undefined) unknown.push(h)
      else groups[h] = id
    }
    return error === undefined ? { groups, unknown } : { groups, unknown, error }
  }

  private async list(): Promise<Map<string, string>> {
    const res = await this.client.usergroups.list({ include_disabled: false })
    const map = new Map<string, string>()
    const max = this.options.maxGroups ?? 10_000
    for (const g of res.usergroups ?? []) {
      if (map.size >= max) break
      const { id, handle } = g as { id?: unknown, handle?: unknown }
      if (typeof id !== 'string' || !GROUP_ID.test(id) || typeof handle !== 'string' || handle.length === 0 || handle.length > HANDLE_MAX) continue
      map.set(handleKey(handle), id)
    }
    return map
  }
}
