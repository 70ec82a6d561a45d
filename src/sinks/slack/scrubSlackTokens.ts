/**
 * Every Slack token shape: bot, user, app-level and legacy tokens (xoxb-, xoxp-, xoxa-, xoxs-, xoxr-, xoxo-, xapp-),
 * the rotating ones (xoxe.xoxb-…, xoxe.xoxp-…) and their refresh tokens (xoxe-…)
 * (https://docs.slack.dev/authentication/using-token-rotation, https://api.slack.com/methods/tooling.tokens.rotate).
 * The body runs to the first character no token holds, so a token is removed whole whatever its length.
 */
const SLACK_TOKEN = /(?:xoxe\.)?(?:xox[a-z]|xapp)-[\w.+/=-]*/gi

export const REDACTED = '‹redacted›'

export function scrubSlackTokens(text: string): string {
  return text.replace(SLACK_TOKEN, REDACTED)
}
