import type { WebClient } from '@slack/web-api'

/** How long the user groups' members are trusted before usergroups.list is asked again. */
const GROUPS_TTL_MS = 5 * 60_000

export type Verdict = { allowed: true, via: string } | { allowed: false, reason: string }

interface Group { id: string, handle: string, users: string[] }

/**
 * Who may act on alerts: `slack.actions.allowed` in trailwarden.yaml lists user ids (U…/W…), user-group ids (S…) and
 * user-group handles (@security-oncall). Groups are resolved with usergroups.list include_users (scope
 * usergroups:read, https://docs.slack.dev/reference/methods/usergroups.list), cached for five minutes. An empty list
 * allows nobody: silencing a security alert is a decision someone must be named for.
 */
export class Authoriser {
  private groups: { at: number, list: Group[] } | undefined

  constructor(
    private readonly client: WebClient,
    private readonly allowed: () => readonly string[],
    private readonly now: () => number = Date.now,
  ) {}

  async check(user: string): Promise<Verdict> {
    const allowed = this.allowed()
    if (allowed.length === 0) return { allowed: false, reason: 'no one may act on alerts yet: list user ids or user groups under slack.actions.allowed in trailwarden.yaml' }
    if (allowed.includes(user)) return { allowed: true, via: 'user' }
    const wanted = allowed.filter((a) => !/^[UW][A-Z0-9]+$/.test(a)).map((a) => a.replace(/^@/, ''))
    if (wanted.length === 0) return { allowed: false, reason: 'you are not listed in slack.actions.allowed' }
    let groups: Group[]
    try {
      groups = await this.userGroups()
    } catch (err) {
      const code = (err as { data?: { error?: unknown } }).data?.error
      return { allowed: false, reason: `the user groups in slack.actions.allowed could not be read (${typeof code === 'string' ? code : 'error'}): the app needs usergroups:read` }
    }
    const group = groups.find((g) => (wanted.includes(g.id) || wanted.includes(g.handle)) && g.users.includes(user))
    return group ? { allowed: true, via: `group ${group.handle || group.id}` } : { allowed: false, reason: 'you are not listed in slack.actions.allowed, nor in a user group it names' }
  }

  private async userGroups(): Promise<Group[]> {
    const at = this.now()
    if (this.groups && at - this.groups.at < GROUPS_TTL_MS) return this.groups.list
    const res = await this.client.usergroups.list({ include_users: true })
    const list = (res.usergroups ?? []).map((g) => ({ id: g.id ?? '', handle: g.handle ?? '', users: g.users ?? [] }))
    this.groups = { at, list }
    return list
  }
}
