/**
 * What is wrong with SLACK_BOT_TOKEN, or undefined when it is a bot token. Never quotes the token.
 *
 * Accepted: a bot token (xoxb-…) and, for apps with token rotation on, its rotating form (xoxe.xoxb-…), which Slack
 * issues in place of xoxb- (https://docs.slack.dev/authentication/using-token-rotation). A rotating token expires
 * after 12 hours and trailwarden does not refresh it: whatever rotates it must restart the task with the new one.
 *
 * Refused, each with the token to use instead: a user token (xoxp-, xoxe.xoxp-) would post as a person, with that
 * person's access to every channel they are in; a refresh token (xoxe-…) cannot call the Web API; an app-level token
 * (xapp-…) can open Socket Mode connections but not post. Whitespace is refused (a trailing newline from a secret
 * file gives invalid_auth on every call).
 */
export function slackTokenProblem(token: string): string | undefined {
  const use = 'use the app\'s Bot User OAuth Token (xoxb-…, or xoxe.xoxb-… with token rotation) from OAuth & Permissions'
  if (/\s/.test(token)) return 'SLACK_BOT_TOKEN contains whitespace (a trailing newline from the secret?) — remove it'
  if (/^(?:xoxe\.)?xoxb-[0-9A-Za-z-]+$/.test(token)) return undefined
  if (/^(?:xoxe\.)?xoxp-/.test(token)) return `SLACK_BOT_TOKEN is a user token (xoxp-…): alerts would be posted as that person, with their access — ${use}`
  if (/^xoxe-/.test(token)) return `SLACK_BOT_TOKEN is a refresh token (xoxe-…), which cannot call the Web API — ${use}`
  if (/^xapp-/.test(token)) return `SLACK_BOT_TOKEN is an app-level token (xapp-…), which cannot post messages — ${use}`
  return `SLACK_BOT_TOKEN must be a Slack bot token (xoxb-…, or xoxe.xoxb-… with token rotation) — ${use}`
}
