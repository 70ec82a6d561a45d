import { clean } from '../alerts/mrkdwn.js'

/**
 * Any value as one line of table text: invisible and control characters removed (so an event cannot carry ANSI
 * escapes or bidirectional overrides into a terminal), line breaks and tabs as one space, bounded to `max` UTF-16
 * units (visibly truncated). Every cell of a report goes through this before its format's own escaping.
 */
export function cellText(value: unknown, max = 200): string {
  return clean(value, max).replace(/[\t\r\n]+/g, ' ')
}
