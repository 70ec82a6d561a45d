import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ENV_VARS, envSchema } from '../../src/config/envSchema.js'
import { readEnv } from '../../src/config/readEnv.js'
import { regionOfQueueUrl } from '../../src/config/regionOfQueueUrl.js'
import { unknownVariables } from '../../src/config/unknownVariables.js'
import { ConfigError } from '../../src/errors.js'

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/111122223333/trailwarden'

/** The problems readEnv refuses with (it throws a ConfigError listing them all). */
function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    readEnv(env)
  } catch (e) {
    if (e instanceof ConfigError) return e.problems
    throw e
  }
  return []
}

describe('readEnv', () => {
  it('takes defaults and the region from the queue URL', () => {
    expect(readEnv({ TRAILWARDEN_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/trailwarden' })).toEqual({
      TRAILWARDEN_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/trailwarden',
      AWS_REGION: 'eu-west-1',
      TRAILWARDEN_RULES: 'rules',
      TRAILWARDEN_POLLERS: 2,
      TRAILWARDEN_MAX_IN_FLIGHT: 100,
      TRAILWARDEN_SHUTDOWN_SECONDS: 20,
      TRAILWARDEN_EVENTBRIDGE_BUS: 'default',
      TRAILWARDEN_STATE_LEASE_SECONDS: 180,
      TRAILWARDEN_CHANGE_LOOKUPS: 'ecs',
      PORT: 8080,
      HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
    })
  })

  it('lists every problem at once', () => {
    const err = (() => {
      try {
        readEnv({ SLACK_BOT_TOKEN: 'not-a-token', PORT: 'eighty', LOG_LEVEL: 'loud' })
      } catch (e) {
        return e as ConfigError
      }
      throw new Error('no error')
    })()
    expect(err).toBeInstanceOf(ConfigError)
    expect(err.problems).toEqual([
      'TRAILWARDEN_QUEUE_URL is required',
      'SLACK_BOT_TOKEN must be a Slack bot token (xoxb-…, or xoxe.xoxb-… with token rotation) — use the app\'s Bot User OAuth Token (xoxb-…, or xoxe.xoxb-… with token rotation) from OAuth & Permissions',
      'PORT is "eighty": expected number, received NaN',
      'LOG_LEVEL is "loud": Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent"',
    ])
  })

  it('the README configuration table lists exactly the variables the schema reads', () => {
    const readme = readFileSync('README.md', 'utf8')
    const inTable = [...readme.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1])
    expect(new Set(inTable)).toEqual(new Set(Object.keys(envSchema.shape)))
    for (const [name, v] of Object.entries(ENV_VARS)) expect(readme).toContain(`| \`${name}\` | ${v.required ? 'yes' : 'no'} | ${v.description} |`)
  })

  it('lists every problem at once, between variables too', () => {
    expect(problemsOf({ TRAILWARDEN_QUEUE_URL: 'http://127.0.0.1:4566/000000000000/trailwarden', AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:4566', PORT: 'eighty' })).toEqual([
      'PORT is "eighty": expected number, received NaN',
      'AWS_REGION is required: no region can be read from TRAILWARDEN_QUEUE_URL (with AWS_ENDPOINT_URL_SQS set, it names the emulator or proxy, not AWS) — set AWS_REGION, e.g. us-east-1',
    ])
  })
})

describe('readEnv: URLs are http(s) with a host', () => {
  it.each([
    ['TRAILWARDEN_QUEUE_URL', 'javascript:alert(document.cookie)//sqs.eu-west-1.amazonaws.com/1/q'],
    ['TRAILWARDEN_QUEUE_URL', 'file:///etc/passwd'],
    ['TRAILWARDEN_QUEUE_URL', 'sqs.eu-west-1.amazonaws.com/111122223333/trailwarden'],
    ['AWS_ENDPOINT_URL_SQS', 'javascript:fetch(1)'],
    ['AWS_ENDPOINT_URL_EVENTBRIDGE', 'ftp://127.0.0.1/'],
    ['SLACK_API_URL', 'data:text/html,hi'],
  ])('%s=%s is refused', (name, value) => {
    const problems = problemsOf({ TRAILWARDEN_QUEUE_URL: QUEUE, AWS_REGION: 'eu-west-1', [name]: value })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(new RegExp(`^${name} must be an http\\(s\\) URL with a host, e\\.g\\. https?://`))
  })

  it.each([
    ['TRAILWARDEN_QUEUE_URL', QUEUE],
    ['AWS_ENDPOINT_URL_SQS', 'http://127.0.0.1:4566'],
    ['AWS_ENDPOINT_URL_EVENTBRIDGE', 'https://vpce-0123456789abcdef0-abcdefgh.events.eu-west-1.vpce.amazonaws.com'],
    ['SLACK_API_URL', 'https://slack.com/api/'],
  ])('%s=%s is accepted', (name, value) => {
    expect(problemsOf({ TRAILWARDEN_QUEUE_URL: QUEUE, AWS_REGION: 'eu-west-1', [name]: value })).toEqual([])
  })
})

describe('readEnv: the region', () => {
  it('an emulator queue URL without AWS_REGION refuses to start instead of polling without a region forever', () => {
    expect(problemsOf({ TRAILWARDEN_QUEUE_URL: 'http://127.0.0.1:4566/000000000000/trailwarden', AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:4566' })).toEqual([
      'AWS_REGION is required: no region can be read from TRAILWARDEN_QUEUE_URL (with AWS_ENDPOINT_URL_SQS set, it names the emulator or proxy, not AWS) — set AWS_REGION, e.g. us-east-1',
    ])
  })

  it('with AWS_REGION set, the emulator URL is fine', () => {
    expect(readEnv({ TRAILWARDEN_QUEUE_URL: 'http://127.0.0.1:4566/000000000000/trailwarden', AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:4566', AWS_REGION: 'us-east-1' }).AWS_REGION).toBe('us-east-1')
  })

  it.each([
    [QUEUE, 'eu-west-1'],
    ['https://sqs-fips.us-gov-west-1.amazonaws.com/111122223333/q', 'us-gov-west-1'],
    ['https://sqs.cn-north-1.amazonaws.com.cn/111122223333/q', 'cn-north-1'],
    ['https://sqs.ap-southeast-2.api.aws/111122223333/q', 'ap-southeast-2'],
    ['https://vpce-0a1b2c3d4e5f67890-abcd1234.sqs.eu-central-1.vpce.amazonaws.com/111122223333/q', 'eu-central-1'],
    ['https://eu-west-2.queue.amazonaws.com/111122223333/q', 'eu-west-2'],
    ['https://queue.amazonaws.com/111122223333/q', 'us-east-1'],
    ['http://127.0.0.1:4566/000000000000/q', undefined],
    ['https://sqs.eu-west-1.amazonaws.com.evil.example/111122223333/q', undefined],
  ])('the region of %s is %s', (url, region) => {
    expect(regionOfQueueUrl(url)).toBe(region)
  })
})

describe('readEnv: SLACK_BOT_TOKEN', () => {
  it.each([
    'xoxb-424242424242-1337133713371-SeCrEtToKeNvAlUe',
    // With token rotation on, Slack issues the bot's access token in this form.
    'xoxe.xoxb-1-MS0yLTQyNDI0MjQyNDI0Mi0xMzM3MTMzNzEzMzcxLTQyNDI0MjQyNDI0Mi1hYmNkZWY',
  ])('accepts %s', (token) => {
    expect(readEnv({ TRAILWARDEN_QUEUE_URL: QUEUE, SLACK_BOT_TOKEN: token }).SLACK_BOT_TOKEN).toBe(token)
  })

  it.each([
    ['xoxp-424242424242-424242424242-1337133713371-0123456789abcdef0123456789abcdef', 'is a user token (xoxp-…)'],
    ['xoxe.xoxp-1-MS0yLTQyNDI0MjQyNDI0Mi0xMzM3', 'is a user token (xoxp-…)'],
    ['xoxe-1-My0xLTQyNDI0MjQyNDI0Mi0xMzM3MTMzNzEzMzcx', 'is a refresh token (xoxe-…)'],
    ['xapp-1-A0123456789-4242424242424-0123456789abcdef', 'is an app-level token (xapp-…)'],
    ['xoxb-424242424242-1337133713371-SeCrEtToKeNvAlUe\n', 'contains whitespace'],
    ['xoxa-2-legacy-workspace-token', 'must be a Slack bot token'],
  ])('refuses %s, saying what it is, without quoting it', (token, what) => {
    const problems = problemsOf({ TRAILWARDEN_QUEUE_URL: QUEUE, SLACK_BOT_TOKEN: token })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(`SLACK_BOT_TOKEN ${what}`)
    expect(problems[0]).not.toContain(token.trim().slice(5))
  })
})

describe('unknownVariables', () => {
  it('warns about a misspelt TRAILWARDEN_* variable with the one it probably meant', () => {
    expect(unknownVariables({ TRAILWARDEN_RULE: '/srv/team-rules', TRAILWARDEN_QUEUE_URL: QUEUE, TRAILWARDEN_CONFG: 'x.yaml', trailwarden_pollers: '4', PATH: '/usr/bin' })).toEqual([
      'TRAILWARDEN_CONFG is not a variable trailwarden reads and is ignored — did you mean TRAILWARDEN_CONFIG?',
      'TRAILWARDEN_RULE is not a variable trailwarden reads and is ignored — did you mean TRAILWARDEN_RULES?',
      'trailwarden_pollers is not a variable trailwarden reads and is ignored — did you mean TRAILWARDEN_POLLERS?',
    ])
  })

  it('names the variables it reads when nothing is close', () => {
    expect(unknownVariables({ TRAILWARDEN_COLOUR: 'blue' })).toEqual([
      'TRAILWARDEN_COLOUR is not a variable trailwarden reads and is ignored — trailwarden reads TRAILWARDEN_QUEUE_URL, TRAILWARDEN_RULES, TRAILWARDEN_CONFIG, TRAILWARDEN_SLACK_DEFAULT_CHANNEL, TRAILWARDEN_POLLERS, TRAILWARDEN_MAX_IN_FLIGHT, TRAILWARDEN_SHUTDOWN_SECONDS, TRAILWARDEN_EVENTBRIDGE_RULE, TRAILWARDEN_EVENTBRIDGE_BUS, TRAILWARDEN_STATE_TABLE, TRAILWARDEN_STATE_LEASE_SECONDS, TRAILWARDEN_CHANGE_LOOKUPS',
    ])
  })

  it('says nothing about the variables it reads or other programs\' variables', () => {
    expect(unknownVariables({ TRAILWARDEN_QUEUE_URL: QUEUE, TRAILWARDEN_RULES: 'rules', AWS_REGION: 'eu-west-1', SLACK_TOKEN: 'x' })).toEqual([])
  })
})
