import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'

/** The bot scopes trailwarden asks for, and so the manifest holds: no more, no fewer. */
const BOT_SCOPES = ['chat:write', 'usergroups:read', 'channels:history', 'groups:history']

/**
 * Each Slack Web API method the code may call, with the bot scope it needs (Slack's method reference: "Required
 * scopes"); null: none. A method missing here fails the test, so a new call cannot ship without its scope decided.
 */
const METHOD_SCOPES: Record<string, string[] | string | null> = {
  'auth.test': null,
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'usergroups.list': 'usergroups:read',
  // A takeover looks for a dead replica's message (src/sinks/slack/postedLookup.ts): public and private channels.
  'conversations.history': ['channels:history', 'groups:history'],
  'conversations.replies': ['channels:history', 'groups:history'],
  'views.open': null, // https://docs.slack.dev/reference/methods/views.open/: "No scopes required"
  // Socket Mode: called with the app-level token (connections:write), not the bot's.
  'apps.connections.open': null,
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name))
}

/** Web API methods called in src/: `client.chat.postMessage(`, `.apiCall('chat.postMessage'`. */
function calledMethods(): Set<string> {
  const methods = new Set<string>()
  for (const file of sourceFiles('src')) {
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(/\bclient\.(auth|chat|usergroups|conversations|users|views|apps|reactions|files)\.([a-zA-Z.]+)\(/g)) methods.add(`${m[1]}.${m[2]}`)
    for (const m of text.matchAll(/apiCall\(\s*'([a-z]+\.[a-zA-Z.]+)'/g)) methods.add(m[1]!)
  }
  return methods
}

describe('deploy/slack-app-manifest.yaml', () => {
  const manifest = parse(readFileSync('deploy/slack-app-manifest.yaml', 'utf8')) as {
    oauth_config: { scopes: { bot: string[], user?: string[] } }
    settings: { socket_mode_enabled: boolean, interactivity: { is_enabled: boolean } }
  }

  it('asks for exactly the bot scopes listed in code, and no user scope', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...BOT_SCOPES].sort())
    expect(manifest.oauth_config.scopes.user).toBeUndefined()
    expect(manifest.oauth_config.scopes.bot).not.toContain('chat:write.public')
  })

  it('covers every Web API method src/ calls with those scopes', () => {
    const called = calledMethods()
    expect(called).toContain('chat.postMessage')
    for (const method of called) {
      expect(Object.keys(METHOD_SCOPES), `${method}: add it to METHOD_SCOPES with its scope`).toContain(method)
      const scope = METHOD_SCOPES[method]
      for (const s of [scope ?? []].flat()) expect(BOT_SCOPES, `${method} needs ${s}`).toContain(s)
    }
    // Each scope asked for is one some method needs.
    for (const scope of BOT_SCOPES) expect(Object.values(METHOD_SCOPES).flat()).toContain(scope)
  })

  it('enables Socket Mode and interactivity for the buttons (used only with SLACK_APP_TOKEN)', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true)
    expect(manifest.settings.interactivity.is_enabled).toBe(true)
    expect(readFileSync('deploy/slack-app-manifest.yaml', 'utf8')).toMatch(/only when SLACK_APP_TOKEN is set/)
  })
})
