import { describe, expect, it } from 'vitest'
import { readEnv } from '../../src/config/readEnv.js'
import { ConfigError } from '../../src/errors.js'

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/111122223333/trailwarden'

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    readEnv(env)
    return []
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
}

describe('readEnv: SLACK_APP_TOKEN', () => {
  it('takes an app-level token', () => {
    expect(readEnv({ TRAILWARDEN_QUEUE_URL: QUEUE, SLACK_APP_TOKEN: 'xapp-1-A0123456789-4242424242424-0123456789abcdef' }).SLACK_APP_TOKEN).toBe('xapp-1-A0123456789-4242424242424-0123456789abcdef')
  })

  it.each([
    ['xoxb-4242424242-4242424242424-AbCdEfGhIjKlMnOpQrStUvWx', 'must be an app-level token (xapp-…)'],
    ['xapp-1-A0123456789-4242424242424-0123456789abcdef\n', 'contains whitespace'],
  ])('refuses %j and never quotes it', (token, what) => {
    const problems = problemsOf({ TRAILWARDEN_QUEUE_URL: QUEUE, SLACK_APP_TOKEN: token })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(`SLACK_APP_TOKEN ${what}`)
    expect(problems[0]).not.toContain(token.trim().slice(5, 20))
  })
})
