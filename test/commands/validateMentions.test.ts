import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../support/captureIO.js'
import { type SlackDouble, startSlackDouble } from '../support/slackDouble.js'

let slack: SlackDouble
beforeAll(async () => {
  slack = await startSlackDouble()
})
afterAll(() => slack.close())
beforeEach(() => {
  slack.reset()
})

/** The example config with its route's mention replaced. */
function configMentioning(mention: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'trailwarden-mentions-')), 'trailwarden.yaml')
  writeFileSync(path, readFileSync('trailwarden.example.yaml', 'utf8').replace('mention: "@security-oncall"', `mention: "${mention}"`))
  return path
}
const withSlack = () => ({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: slack.url })

describe('trailwarden validate: mentions are resolved as the daemon resolves them', () => {
  it('a known handle (SLACK_BOT_TOKEN set): valid, resolved with usergroups.list', async () => {
    const { code, stdout } = await runCli(['validate', '--config', 'trailwarden.example.yaml'], withSlack())
    expect(stdout).toMatch(/: 0 errors, /)
    expect(code).toBe(0)
    expect(slack.callsOf('usergroups.list')).toHaveLength(1)
  })

  it('an unknown handle is an error naming where it is written', async () => {
    const config = configMentioning('@secruity-oncall')
    const { code, stdout } = await runCli(['validate', '--config', config], withSlack())
    expect(stdout).toContain(`${config} (slack.routes → #security): mention "@secruity-oncall" is not the handle of a Slack user group (usergroups.list)`)
    expect(stdout).toMatch(/: 1 error, /)
    expect(code).toBe(1)
  })

  it('ids, here and channel need no lookup', async () => {
    for (const mention of ['U0ALICE01', '<@U0ALICE01>', 'S0SECONCALL', 'here', '@channel']) {
      const { code } = await runCli(['validate', '--config', configMentioning(mention)], withSlack())
      expect(code, mention).toBe(0)
    }
    expect(slack.callsOf('usergroups.list')).toHaveLength(0)
  })

  it('usergroups.list refused for the token (missing_scope) is an error; rate limited is a warning that the handles were not checked', async () => {
    slack.script('usergroups.list', { kind: 'error', error: 'missing_scope' })
    const refused = await runCli(['validate', '--config', 'trailwarden.example.yaml'], withSlack())
    expect(refused.stdout).toContain('usergroups.list failed (missing_scope): mentions not checked: @security-oncall — add the usergroups:read scope')
    expect(refused.code).toBe(1)
    slack.script('usergroups.list', { kind: 'rateLimited', retryAfterSeconds: 1 })
    const limited = await runCli(['validate', '--config', 'trailwarden.example.yaml'], withSlack())
    expect(limited.stdout).toContain('usergroups.list failed (ratelimited): mentions not checked: @security-oncall')
    expect(limited.code).toBe(0)
  })

  it('without SLACK_BOT_TOKEN: a warning that the handles were not checked', async () => {
    const { code, stdout } = await runCli(['validate', '--config', configMentioning('@secruity-oncall')])
    expect(stdout).toContain('mentions not checked (SLACK_BOT_TOKEN is not set; validate with it to resolve them as run does): @secruity-oncall')
    expect(code).toBe(0)
  })
})
