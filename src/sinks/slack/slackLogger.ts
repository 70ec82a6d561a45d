import { LogLevel, type Logger as SlackLibraryLogger } from '@slack/web-api'
import type { Logger } from 'pino'
import { scrubSlackTokens } from './scrubSlackTokens.js'

/**
 * The library's debug lines that carry no request or response: the call's name, its start and end. Every other
 * debug line of @slack/web-api 8 prints a request body, its headers or Slack's answer ("http request body: {…}",
 * "http request result: {…}") — the alert's text and blocks — and is dropped: no payload reaches a log (#16).
 */
const SAFE_DEBUG = /^(?:apiCall\('[\w.]+'\) (?:start|end)|http request url: \S+|http response received|initialized)$/

/** A library line kept at info and above is short and fixed in form; a long one is cut, in case it quotes a payload. */
const MAX_LINE = 300

/** @slack/web-api's logger interface onto pino: payload lines dropped, every Slack token shape scrubbed from the rest. */
export function createSlackLogger(log: Logger): SlackLibraryLogger {
  const child = log.child({ component: 'slack-web-api' })
  const line = (msgs: unknown[]) => {
    const joined = scrubSlackTokens(msgs.map(String).join(' '))
    return joined.length > MAX_LINE ? `${joined.slice(0, MAX_LINE)}… (cut)` : joined
  }
  return {
    debug: (...m: unknown[]) => {
      const text = line(m)
      if (SAFE_DEBUG.test(text)) child.debug(text)
    },
    info: (...m: unknown[]) => { child.info(line(m)) },
    warn: (...m: unknown[]) => { child.warn(line(m)) },
    error: (...m: unknown[]) => { child.error(line(m)) },
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  }
}
