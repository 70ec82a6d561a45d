import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger, createSlackClient } from '../../../src/commands/clients.js'
import { scrubSlackTokens } from '../../../src/sinks/slack/scrubSlackTokens.js'
import { type SlackDouble, startSlackDouble } from '../../support/slackDouble.js'

const TOKEN = 'xoxb-424242424242-1337133713371-SeCrEtToKeNvAlUe'
let slack: SlackDouble
beforeAll(async () => {
  slack = await startSlackDouble({ validToken: TOKEN })
})
afterAll(() => slack.close())

/** Every JSON line a logger at `level` writes, as the daemon's logger writes them. */
function capturedLogger(level: string) {
  const lines: string[] = []
  const stream = new PassThrough()
  stream.on('data', (c: Buffer) => lines.push(...c.toString().split('\n').filter(Boolean)))
  return { log: createLogger(level, stream), lines }
}

describe('the Slack client never logs a payload or a token', () => {
  it('LOG_LEVEL=trace: a message carrying a secret and a token is posted; no log line holds either', async () => {
    const secret = 'PGPASSWORD=hunter2-prod-db'
    const appToken = 'xapp-1-A0123456789-1234567890123-abcdef0123456789abcdef0123456789'
    const { log, lines } = capturedLogger('trace')
    const client = createSlackClient(TOKEN, log, slack.url)
    const res = await client.chat.postMessage({ channel: '#alerts', text: `export ${secret}; echo ${appToken}`, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `\`${secret}\` ${appToken}` } }] })
    expect(res.ok).toBe(true)
    await client.auth.test()
    log.flush()
    await new Promise((resolve) => setImmediate(resolve))
    // The library did log (its call names), so the test looks at real output, not at silence.
    expect(lines.some((l) => l.includes('apiCall(\'chat.postMessage\') start'))).toBe(true)
    for (const needle of ['hunter2', appToken, TOKEN, 'SeCrEtToKeNvAlUe', 'xapp-1', '"blocks"', 'example.slack.com']) {
      expect(lines.filter((l) => l.includes(needle)), needle).toEqual([])
    }
  })

  it('what the library logs at info and above is kept, token-scrubbed and cut short', async () => {
    const { log, lines } = capturedLogger('info')
    const client = createSlackClient(TOKEN, log, slack.url)
    // No text and no fallback: the library warns (https://api.slack.com/methods/chat.postMessage, "text").
    await client.chat.postMessage({ channel: '#alerts', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'only blocks' } }] } as never)
    log.flush()
    await new Promise((resolve) => setImmediate(resolve))
    expect(lines.some((l) => /"level":40.*slack-web-api/.test(l))).toBe(true)
  })
})

describe('scrubSlackTokens: every Slack token shape', () => {
  it.each([
    ['bot', 'xoxb-424242424242-1337133713371-SeCrEtToKeNvAlUe'],
    ['user', 'xoxp-424242424242-424242424242-1337133713371-0123456789abcdef0123456789abcdef'],
    ['workspace app (legacy)', 'xoxa-2-424242424242-1337133713371-abcdef'],
    ['legacy', 'xoxs-424242424242-abcdef'],
    ['refresh (legacy)', 'xoxr-424242424242-abcdef'],
    ['rotating bot', 'xoxe.xoxb-1-MS0yLTQyNDI0MjQyNDI0Mi0xMzM3MTMzNzEzMzcx'],
    ['rotating user', 'xoxe.xoxp-1-Mi0yLTQyNDI0MjQyNDI0Mi0xMzM3MTMzNzEzMzcx'],
    ['refresh token', 'xoxe-1-My0xLTQyNDI0MjQyNDI0Mi0xMzM3MTMzNzEzMzcx'],
    ['app-level', 'xapp-1-A0123456789-1234567890123-abcdef0123456789abcdef0123456789'],
  ])('%s: %s', (_shape, token) => {
    const scrubbed = scrubSlackTokens(`Authorization: Bearer ${token}, "token":"${token}"`)
    expect(scrubbed).toBe('Authorization: Bearer ‹redacted›, "token":"‹redacted›"')
  })

  it('leaves ordinary text alone', () => {
    expect(scrubSlackTokens('apiCall(\'chat.postMessage\') start; box-o-rocks; xox is not a token')).toBe('apiCall(\'chat.postMessage\') start; box-o-rocks; xox is not a token')
  })
})
