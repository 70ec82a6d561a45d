import type { NormalisedEvent } from '../intake/types.js'

export interface RuleDiff {
  rule: string
  status: 'new rule' | 'removed rule' | 'changed' | 'unchanged'
  base: number
  head: number
  /** Events the head set matches and the base set did not. */
  added: number
  removed: number
  examplesAdded: string[]
  examplesRemoved: string[]
}

const EXAMPLES = 3

const example = (e: NormalisedEvent) =>
  `${e.record.eventName} by ${e.context.actor.name ?? e.context.actor.arn ?? 'unknown'} at ${e.record.eventTime} (${typeof e.record.eventID === 'string' ? e.record.eventID : e.context.eventKey})`

type Counts = Omit<RuleDiff, 'status'>

/**
 * Two rule sets over the same events, in one pass: per rule, what the change would change. Pure. A rule a set
 * matched is a rule of that set, even when the id lists given at the start did not name it: it is counted, not lost.
 */
export function createBacktest(baseIds: readonly string[], headIds: readonly string[]) {
  const diffs = new Map<string, Counts>()
  const base = new Set(baseIds)
  const head = new Set(headIds)
  const diffOf = (rule: string): Counts => {
    let d = diffs.get(rule)
    if (!d) diffs.set(rule, (d = { rule, base: 0, head: 0, added: 0, removed: 0, examplesAdded: [], examplesRemoved: [] }))
    return d
  }
  for (const rule of new Set([...baseIds, ...headIds])) diffOf(rule)
  let records = 0
  return {
    add(event: NormalisedEvent, baseMatched: readonly string[], headMatched: readonly string[]) {
      records += 1
      const b = new Set(baseMatched)
      const h = new Set(headMatched)
      for (const rule of b) base.add(rule)
      for (const rule of h) head.add(rule)
      for (const rule of new Set([...b, ...h])) {
        const d = diffOf(rule)
        if (b.has(rule)) d.base += 1
        if (h.has(rule)) d.head += 1
        if (h.has(rule) && !b.has(rule)) {
          d.added += 1
          if (d.examplesAdded.length < EXAMPLES) d.examplesAdded.push(example(event))
        }
        if (b.has(rule) && !h.has(rule)) {
          d.removed += 1
          if (d.examplesRemoved.length < EXAMPLES) d.examplesRemoved.push(example(event))
        }
      }
    },
    result(): { records: number, rules: RuleDiff[] } {
      const status = ({ rule, added, removed }: Counts): RuleDiff['status'] =>
        !base.has(rule) ? 'new rule' : !head.has(rule) ? 'removed rule' : added > 0 || removed > 0 ? 'changed' : 'unchanged'
      const rules = [...diffs.values()].map((d): RuleDiff => {
        const { rule, ...counts } = d
        return { rule, status: status(d), ...counts }
      })
      return { records, rules: rules.sort((a, b) => a.rule.localeCompare(b.rule)) }
    },
  }
}

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0')
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')

/** A table fit for a pull-request comment. */
export function backtestMarkdown(result: { records: number, rules: RuleDiff[] }): string {
  const changed = result.rules.filter((r) => r.status !== 'unchanged')
  const totalBase = result.rules.reduce((s, r) => s + r.base, 0)
  const totalHead = result.rules.reduce((s, r) => s + r.head, 0)
  const lines = [
    `### trailwarden backtest: ${result.records} records`,
    '',
    `Matches: ${totalBase} → ${totalHead} (${signed(totalHead - totalBase)}). ${changed.length} rule${changed.length === 1 ? '' : 's'} changed, ${result.rules.length - changed.length} unchanged.`,
    '',
  ]
  if (changed.length > 0) {
    lines.push('| rule | status | base | head | change | newly matched | no longer matched | examples |', '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |')
    for (const r of changed) {
      const examples = [...r.examplesAdded.map((e) => `+ ${e}`), ...r.examplesRemoved.map((e) => `− ${e}`)].slice(0, 4).map(cell).join('<br>')
      lines.push(`| \`${r.rule}\` | ${r.status} | ${r.base} | ${r.head} | ${signed(r.head - r.base)} | ${r.added} | ${r.removed} | ${examples} |`)
    }
  }
  return `${lines.join('\n')}\n`
}

export function backtestText(result: { records: number, rules: RuleDiff[] }): string {
  const lines = [`${result.records} records`]
  for (const r of result.rules.filter((x) => x.status !== 'unchanged')) {
    lines.push(`${r.rule} (${r.status}): ${r.base} → ${r.head} (${signed(r.head - r.base)}; +${r.added} new, −${r.removed} gone)`)
    for (const e of r.examplesAdded) lines.push(`  + ${e}`)
    for (const e of r.examplesRemoved) lines.push(`  − ${e}`)
  }
  const unchanged = result.rules.filter((x) => x.status === 'unchanged').length
  lines.push(`${unchanged} rule${unchanged === 1 ? '' : 's'} unchanged`)
  return `${lines.join('\n')}\n`
}
