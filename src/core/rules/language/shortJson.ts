/** A value as one short line for messages: JSON, cut at `max` characters; "absent" for undefined. */
export function shortJson(value: unknown, max = 120): string {
  const s = value === undefined ? 'absent' : JSON.stringify(value)
  return s.length > max ? `${s.slice(0, max - 3)}...` : s
}
