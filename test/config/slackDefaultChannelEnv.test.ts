import { describe, expect, it } from 'vitest'
import { loadRuleBundle } from '../../src/config/loadRules.js'
import { readEnv } from '../../src/config/readEnv.js'
import { unknownVariables } from '../../src/config/unknownVariables.js'
import { runCli } from '../support/captureIO.js'

// The stack's SlackDefaultChannel parameter reaches the task as TRAILWARDEN_SLACK_DEFAULT_CHANNEL (issue 18): the
// bundled rules then run with no trailwarden.yaml at all, and the deployment's channel wins over an image's config.
const TOKEN = 'xoxb-123456789012-123456789012-abcdefghijklmnopqrstuvwx'

describe('TRAILWARDEN_SLACK_DEFAULT_CHANNEL', () => {
  it('is a known variable the daemon reads', () => {
    const env = readEnv({ TRAILWARDEN_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/trailwarden', TRAILWARDEN_SLACK_DEFAULT_CHANNEL: '#alerts' })
    expect(env.TRAILWARDEN_SLACK_DEFAULT_CHANNEL).toBe('#alerts')
    expect(unknownVariables({ TRAILWARDEN_SLACK_DEFAULT_CHANNEL: '#alerts' })).toEqual([])
  })

  it('names the default channel when there is no config', async () => {
    const bundle = await loadRuleBundle({ rulesDir: 'rules', defaultChannel: '#sec-alerts' })
    expect(bundle.config.slack.defaultChannel).toBe('#sec-alerts')
  })

  it('wins over slack.defaultChannel of trailwarden.yaml, and leaves the rest of the config as it is', async () => {
    const fromFile = await loadRuleBundle({ rulesDir: 'rules', configPath: 'trailwarden.example.yaml' })
    const overridden = await loadRuleBundle({ rulesDir: 'rules', configPath: 'trailwarden.example.yaml', defaultChannel: '#sec-alerts' })
    expect(fromFile.config.slack.defaultChannel).toBe('#alerts')
    expect(overridden.config.slack.defaultChannel).toBe('#sec-alerts')
    expect(overridden.config.slack.routes).toEqual(fromFile.config.slack.routes)
    expect(overridden.config.slack.fallbackChannel).toBe('#alerts')
  })

  it('lets validate pass with a Slack token and no config, as run would start', async () => {
    const without = await runCli(['validate'], { SLACK_BOT_TOKEN: TOKEN })
    expect(without.code).toBe(1)
    expect(without.stdout).toContain('set slack.defaultChannel in trailwarden.yaml or TRAILWARDEN_SLACK_DEFAULT_CHANNEL')
    const withChannel = await runCli(['validate'], { SLACK_BOT_TOKEN: TOKEN, TRAILWARDEN_SLACK_DEFAULT_CHANNEL: '#alerts' })
    expect(withChannel.stdout).toMatch(/^29 rule files, 1 lists file, 29 valid rules: 0 errors/m)
    expect(withChannel.code).toBe(0)
  })
})
