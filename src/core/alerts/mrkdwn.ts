/**
 * Untrusted text into Slack mrkdwn. Slack's formatting reference says &, < and > must be escaped
 * (https://api.slack.com/reference/surfaces/formatting#escaping); once they are, no value can open a mention
 * (<!channel>, <@U…>, <!subteam^…>) or a link. Control characters, bidirectional overrides and zero-width
 * characters are removed so a value cannot disguise itself; values go inside code spans so *, _ and ~ cannot
 * format, with backticks swapped for a look-alike so a value cannot close its span.
 */
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g

export function clean(text: string, max: number): string {
  const stripped = text.replace(INVISIBLE, '')
  return stripped.length > max ? `${stripped.slice(0, max - 13)}… (truncated)` : stripped
}

export const escapeMrkdwn = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** Free text (rule descriptions, error messages): escaped, cleaned, bounded; may span lines. */
export const text = (value: string, max = 1500): string => escapeMrkdwn(clean(value, max))

/** One value from an event, shown verbatim in a code span. */
export const code = (value: string, max = 200): string =>
  `\`${escapeMrkdwn(clean(value, max).replace(/[\r\n\t]+/g, ' ').replace(/`/g, 'ˋ')) || ' '}\``

/** Cut mrkdwn to Slack's per-text limit without splitting an escape sequence. */
export function bound(mrkdwn: string, max: number): string {
  if (mrkdwn.length <= max) return mrkdwn
  const cut = mrkdwn.slice(0, max - 14).replace(/&[a-z]*$/, '')
  return `${cut}… (truncated)`
}
