import { asText, bounded, truncate } from './asText.js'

/**
 * Untrusted text into Slack mrkdwn. Slack's formatting reference says &, < and > must be escaped
 * (https://api.slack.com/reference/surfaces/formatting#escaping); once they are, no value can open a mention
 * (<!channel>, <@U…>, <!subteam^…>) or a link. Invisible characters are removed so a value cannot disguise itself;
 * values go inside code spans, where Slack applies no formatting (*bold*, _italic_, ~strike~, :emoji: codes, quotes,
 * bare-URL links), with backticks swapped for a look-alike so a value cannot close its span.
 *
 * Invisible: control characters (Cc) but tab and line feed; format characters (Cf: bidirectional overrides and
 * isolates, zero-width space and joiners, soft hyphen U+00AD, Arabic letter mark U+061C, Mongolian vowel separator,
 * interlinear annotation U+FFF9–FFFB, tag characters U+E0000–E007F, …); every Default_Ignorable_Code_Point of Unicode's
 * DerivedCoreProperties (adds the Hangul fillers U+115F, U+1160, U+3164, U+FFA0, variation selectors, the combining
 * grapheme joiner U+034F, Khmer inherent vowels U+17B4–17B5, U+E0080–E0FFF, …); the line and paragraph separators
 * U+2028, U+2029. The properties come from the engine's Unicode tables, so the set follows Unicode as Node updates.
 */
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\p{Cf}\p{Default_Ignorable_Code_Point}\u2028\u2029]/gu
// Searching first and replacing only on a hit costs less for the common value that holds none (measured).
const HAS_INVISIBLE = new RegExp(INVISIBLE.source, 'u')

/** Any value as text without invisible characters, bounded to `max` UTF-16 units (visibly truncated). */
export function clean(value: unknown, max: number): string {
  const text = asText(value)
  return bounded(HAS_INVISIBLE.test(text) ? text.replace(INVISIBLE, '') : text, max)
}

const HAS_SPECIAL = /[&<>]/
/** Most values hold no &, < or >: one search, and the three replaces only on a hit (the largest cost of a rendering). */
export const escapeMrkdwn = (text: string): string =>
  HAS_SPECIAL.test(text) ? text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : text

/** Trusted free text (rule descriptions, runbooks, trailwarden's own notices): escaped, cleaned, bounded; may span lines. */
export const text = (value: unknown, max = 1500): string => escapeMrkdwn(clean(value, max))

/** One value from an event, shown inert in a code span on one line. */
export const code = (value: unknown, max = 200): string =>
  `\`${escapeMrkdwn(clean(value, max).replace(/[\r\n\t]+/g, ' ').replace(/`/g, 'ˋ')) || ' '}\``

/** Cut mrkdwn to Slack's per-text limit without splitting an escape sequence or a surrogate pair. */
export function bound(mrkdwn: string, max: number): string {
  if (mrkdwn.length <= max) return mrkdwn
  const cut = truncate(mrkdwn, max - 14).replace(/&[a-z]*$/, '')
  return `${cut}… (truncated)`
}
