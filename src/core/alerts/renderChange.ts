import type { Change } from '../change/change.js'
import { describeChange } from '../change/describeChange.js'
import type { Alert } from './alert.js'
import { clean, code } from './mrkdwn.js'
import { display } from './requestDetails.js'

/** Longest line of a change an alert keeps (an image reference with a digest is about 150). */
const LINE_MAX = 300

/**
 * A derived change as the alert carries it: each line redacted (a secret pasted into an image tag or a role name is
 * still a secret) and bounded. Undefined when there is no change or it says nothing.
 */
export function changeLines(change: Change | undefined): string[] | undefined {
  if (!change) return undefined
  const lines = describeChange(change).map((line) => display(line, LINE_MAX))
  return lines.length > 0 ? lines : undefined
}

/** The "Changed" section of a Slack alert: one inert code span per line. */
export function changeMrkdwn(alert: Alert): string | undefined {
  if (!alert.changes?.length) return undefined
  return `*Changed*\n${alert.changes.map((line) => `• ${code(line, LINE_MAX)}`).join('\n')}`
}

/** The "changed" lines of a terminal alert: control characters removed, one change per line. */
export function changeTextLines(alert: Alert): string[] {
  return (alert.changes ?? []).map((line, i) => `  ${i === 0 ? 'changed ' : '        '} ${clean(line, LINE_MAX).replace(/[\r\n]+/g, ' ')}`)
}

/** The first change of a digest's example alert, in one inert span (`; changed: \`desiredCount 3 → 0\``), or ''. */
export function changeDigestNote(alert: Alert): string {
  const first = alert.changes?.[0]
  return first ? `; changed ${code(first, 120)}${(alert.changes?.length ?? 0) > 1 ? ` (+${(alert.changes?.length ?? 1) - 1})` : ''}` : ''
}
