import type { Severity } from '../rules/language/ruleSchema.js'
import type { Finding } from './alert.js'
import { bound, code, text } from './mrkdwn.js'
import { type Block, LIMITS } from './slackBlocks.js'

/**
 * What a message's blocks may hold in total, as their JSON length. Slack rejects a message whose blocks total about
 * 13k characters with `msg_blocks_too_long` although each block is within its own limit (measured at 13,297
 * characters of markdown blocks, 13,172 with a divider: https://github.com/slackapi/bolt-js/issues/2509); the JSON
 * length counts more than the text Slack counts, so 12,000 of it stays below with a margin.
 */
export const BLOCKS_BUDGET = 12_000

export const EMOJI: Record<Severity, string> = {
  info: ':information_source:',
  low: ':large_blue_circle:',
  medium: ':large_orange_circle:',
  high: ':red_circle:',
  critical: ':rotating_light:',
}

/** What a block costs against BLOCKS_BUDGET. */
export const blockSize = (block: Block): number => JSON.stringify(block).length + 1

const section = (mrkdwn: string, max: number): Block => ({ type: 'section', text: { type: 'mrkdwn', text: bound(mrkdwn, max) } })

/** One finding in full: severity and title, the rule, why (description and the conditions that matched), the runbook. */
export function findingBlock(f: Finding, max: number = LIMITS.sectionText): Block {
  const conditions = f.conditions.slice(0, 12).map((c) => code(c, 150)).join(' · ')
  const runbook = f.runbook ? `\n*Runbook:* ${text(f.runbook, 700)}` : ''
  return section(`${EMOJI[f.severity]} *${f.severity.toUpperCase()} · ${text(f.title, 150)}* · rule ${code(f.ruleId, 80)}\n${text(f.description, 700)}\n_Matched:_ ${conditions}${runbook}`, max)
}

/** The findings that did not fit, by rule id and severity: never dropped silently. */
function overflowBlock(rest: readonly Finding[], max: number): Block {
  const head = `*${rest.length} more finding${rest.length === 1 ? '' : 's'}* (too many to show in full within Slack's limits; each is in the logs and \`trailwarden replay\`):\n`
  const lines: string[] = []
  let length = head.length
  for (const [i, f] of rest.entries()) {
    const line = `• ${code(f.ruleId, 80)} (${f.severity})`
    const tail = `\n…and ${rest.length - i} more`
    if (length + line.length + 1 + tail.length + 20 > max) {
      lines.push(tail.trim())
      break
    }
    lines.push(line)
    length += line.length + 1
  }
  return section(head + lines.join('\n'), max)
}

/**
 * A grouped alert's findings as blocks within what the rest of the message leaves: `chars` of BLOCKS_BUDGET and
 * `blocks` of Slack's 50. The leading findings are shown in full, one section each, as long as they fit; the rest are
 * listed by rule id and severity in one last section. The first finding is always shown, cut to fit if it must be.
 */
export function findingsBlocks(findings: readonly Finding[], room: { chars: number, blocks: number }): Block[] {
  const out: Block[] = []
  const overflowReserve = 1_200
  let used = 0
  let shown = 0
  for (const f of findings) {
    const isLast = shown === findings.length - 1
    const blocksLeft = room.blocks - out.length - (isLast ? 0 : 1)
    const charsLeft = room.chars - used - (isLast ? 0 : overflowReserve)
    let block = findingBlock(f)
    if (blockSize(block) > charsLeft && shown === 0) block = findingBlock(f, Math.max(200, Math.min(LIMITS.sectionText, charsLeft - 120)))
    if (blocksLeft < 1 || (shown > 0 && blockSize(block) > charsLeft)) break
    out.push(block)
    used += blockSize(block)
    shown += 1
  }
  const rest = findings.slice(shown)
  if (rest.length > 0) out.push(overflowBlock(rest, Math.max(300, Math.min(LIMITS.sectionText, room.chars - used - 100))))
  return out
}
