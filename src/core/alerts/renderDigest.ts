import type { Alert } from './alert.js'
import { asAlert } from './asAlert.js'
import { findingsOf, withFindings } from './findings.js'
import { bound, code, text } from './mrkdwn.js'
import { changeDigestNote } from './renderChange.js'
import { slackDate } from './renderSlack.js'
import { LIMITS, type SlackMessage } from './slackBlocks.js'

const top = <T>(counts: Map<T, number>, n: number): Array<[T, number]> => [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, n)

/**
 * One message for a storm: counts per rule and per actor with example event ids, so Slack's rate limit is never
 * hit and every event is still accounted for. Total: each alert is read through asAlert.
 */
export function renderDigest(values: readonly Alert[], since: string, threshold: number): SlackMessage {
  // Counted per finding: a grouped alert (one message for an API call's several rules) adds each of its rules' counts,
  // so a digest says how often each rule matched, as it did before alerts were grouped.
  const alerts = (Array.isArray(values) ? values : []).map(asAlert).flatMap((a) => (a.also ? findingsOf(a).map((f) => withFindings(a, [f])) : [a]))
  // Each rule's group starts with its first alert, so the title and severity shown always exist.
  const byRule = new Map<string, { first: Alert, list: Alert[] }>()
  for (const a of alerts) {
    const group = byRule.get(a.ruleId)
    if (group) group.list.push(a)
    else byRule.set(a.ruleId, { first: a, list: [a] })
  }
  const lines = [...byRule.entries()]
    .sort((a, b) => b[1].list.length - a[1].list.length)
    .slice(0, 15)
    .map(([ruleId, { first, list }]) => {
      const actors = new Map<string, number>()
      for (const a of list) {
        const who = a.actor.name ?? a.actor.arn ?? 'unknown'
        actors.set(who, (actors.get(who) ?? 0) + 1)
      }
      const actorText = top(actors, 3).map(([who, n]) => `${code(who, 60)} ×${n}`).join(', ')
      const examples = list.slice(0, 3).map((a) => code(a.eventId ?? a.eventKey, 60)).join(', ')
      return `• *${text(first.title, 150)}* (${code(ruleId, 80)}, ${first.severity}) — *${list.length}* events; by ${actorText}; e.g. ${examples}${changeDigestNote(first)}`
    })
  const more = byRule.size > 15 ? `\n…and ${byRule.size - 15} more rules` : ''
  return {
    text: `Alert storm: ${alerts.length} alerts summarized`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `:warning: Alert storm: ${alerts.length} alerts, summarized`, emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: bound(`${lines.join('\n')}${more}`, LIMITS.sectionText) } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `Since ${slackDate(since)}. This channel gets digests while more than ${text(threshold, 20)} alerts a minute arrive; every event is counted. \`trailwarden replay\` or the logs have each one.`,
          },
        ],
      },
    ],
  }
}
