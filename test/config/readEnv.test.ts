import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ENV_VARS, envSchema } from '../../src/config/envSchema.js'
import { readEnv } from '../../src/config/readEnv.js'
import { ConfigError } from '../../src/errors.js'

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
      'SLACK_BOT_TOKEN must be a Slack token (xoxb-…)',
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
})
