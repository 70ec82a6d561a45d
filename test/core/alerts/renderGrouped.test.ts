import { describe, expect, it } from 'vitest'
import type { Alert, Finding } from '../../../src/core/alerts/alert.js'
import { findingOf, withFindings } from '../../../src/core/alerts/findings.js'
import { renderDigest } from '../../../src/core/alerts/renderDigest.js'
import { BLOCKS_BUDGET } from '../../../src/core/alerts/renderFindings.js'
import { renderMinimal, renderSlack } from '../../../src/core/alerts/renderSlack.js'
import { renderText } from '../../../src/core/alerts/renderText.js'
import { LIMITS, type SlackMessage } from '../../../src/core/alerts/slackBlocks.js'
import { groupAlerts } from '../../../src/core/decide/groupAlerts.js'
import { SEVERITIES } from '../../../src/core/rules/language/ruleSchema.js'
import { alertsFor } from '../../support/alerts.js'

const EIGHT = 'rules/ecs/fixtures/BUILT__ecs__RegisterTaskDefinition__AssumedRole_sso_cli_privileged_hostMount_envSecret.json'

/** The grouped alert of a fixture as the daemon delivers it (all its findings for one channel). */
async function grouped(fixture: string): Promise<Alert> {
  const alerts = await alertsFor(fixture)
  const [g] = groupAlerts(alerts.map((alert) => ({ alert, targets: [{ channel: '#alerts' }], event: EVENT })))
  if (!g) throw new Error('no alert')
  return g.alert
}
// groupAlerts groups by the event object: one shared object stands for "the same event" here.
const EVENT = {} as never

/** Slack's limits a message must hold (slackBlocks.ts, renderFindings.ts BLOCKS_BUDGET). */
function expectWithinLimits(m: SlackMessage): void {
  expect(m.blocks.length).toBeLessThanOrEqual(LIMITS.blocks)
  expect(JSON.stringify(m.blocks).length).toBeLessThanOrEqual(BLOCKS_BUDGET + 200)
  for (const b of m.blocks) {
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.headerText)
    if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText)
    if (b.type === 'section' && b.fields) for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(LIMITS.fieldText)
  }
}

/** Every finding is shown, or listed, or counted in "…and N more": never dropped silently. */
function expectEveryFindingAccountedFor(m: SlackMessage, ids: readonly string[]): void {
  const json = JSON.stringify(m.blocks)
  const missing = ids.filter((id) => !json.includes(id))
  if (missing.length > 0) expect(json).toContain(`…and ${missing.length} more`)
}

const finding = (i: number, over: Partial<Finding> = {}): Finding => ({
  ruleId: `rule-${String(i).padStart(3, '0')}-x`,
  title: `Finding number ${i}`,
  severity: SEVERITIES[i % SEVERITIES.length] ?? 'high',
  description: 'Why it matters. '.repeat(60),
  runbook: 'What to do about it. '.repeat(50),
  tags: [],
  conditions: ['eventName: [RegisterTaskDefinition]', 'requestParameters.containerDefinitions.privileged: [true]'],
  ...over,
})

describe('a grouped alert in Slack: the highest severity leads, each finding keeps its title, why and runbook', () => {
  it('the demo\'s RegisterTaskDefinition: one message with its eight findings in full', async () => {
    const alert = await grouped(EIGHT)
    const m = renderSlack(alert)
    expectWithinLimits(m)
    const header = m.blocks[0]
    expect(header?.type === 'header' ? header.text.text : '').toMatch(/^:red_circle: HIGH · .+ \(\+7 more\)$/)
    const json = JSON.stringify(m.blocks)
    for (const f of [alert, ...(alert.also ?? [])]) {
      expect(json).toContain(f.ruleId)
      expect(json).toContain(f.title)
      if (f.runbook) expect(json).toContain('Runbook:')
    }
    expect(json).not.toContain('more finding')
    // The event's facts once, not once per finding.
    expect(json.split('*Who*').length - 1).toBe(1)
    expect(m.text).toContain('(+7 more:')
  })

  it('a single finding renders exactly as before grouping', async () => {
    const [one] = await alertsFor('rules/ecs/fixtures/BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json')
    if (!one) throw new Error('no alert')
    expect(renderSlack(withFindings(one, [findingOf(one)]))).toEqual(renderSlack(one))
    expect(JSON.stringify(renderSlack(one).blocks)).toContain('*Why this alert*')
  })

  it.each([5, 12, 49, 80, 300])('%i findings with long descriptions and runbooks: within Slack\'s limits, the rest listed by rule id and severity', async (n) => {
    const base = await grouped(EIGHT)
    const findings = Array.from({ length: n }, (_, i) => finding(i)).sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity))
    const alert = withFindings(base, findings)
    const m = renderSlack(alert, { mention: '@here', notice: 'posted to the fallback', more: { count: 3, lastAt: base.eventTime } })
    expectWithinLimits(m)
    expectEveryFindingAccountedFor(m, findings.map((f) => f.ruleId))
    // The leading finding is always shown in full form (its title), never only listed.
    expect(JSON.stringify(m.blocks)).toContain(findings[0]?.title)
    if (n >= 12) expect(JSON.stringify(m.blocks)).toMatch(/\d+ more findings/)
  })

  it('huge fields everywhere (1 MB in every event field and every finding\'s text): within Slack\'s limits', async () => {
    const big = 'A<b>&`*'.repeat(150_000)
    const base = await grouped(EIGHT)
    const alert: Alert = {
      ...base,
      eventName: big, userAgent: big, sourceIp: big, errorCode: big, errorMessage: big, incomplete: big, accountAlias: big, region: big, env: big,
      actor: { ...base.actor, name: big, arn: big, role: big },
      ecs: { cluster: big, service: big, taskDefinition: big, container: [big, big] },
      details: Array.from({ length: 40 }, () => [big, big] as [string, string]),
      title: big, description: big, runbook: big, conditions: Array.from({ length: 40 }, () => big), ruleId: `lead-${'r'.repeat(5_000)}`,
      also: Array.from({ length: 20 }, (_, i) => finding(i, { title: big, description: big, runbook: big, conditions: [big, big], ruleId: `rule-${i}-${'x'.repeat(3_000)}` })),
    }
    const m = renderSlack(alert, { mention: `@${big}`, notice: big, more: { count: 7, lastAt: big } })
    expectWithinLimits(m)
    expect(JSON.stringify(m.blocks)).toMatch(/\d+ more findings|…and \d+ more/)
    // mrkdwn only: a header is plain_text, which Slack shows as written (no mention or link can start there).
    const shown = JSON.stringify(m.blocks.filter((b) => b.type !== 'header')) + m.text
    expect(shown.match(/<b>|<!(?!date)[^>]{0,40}/g) ?? []).toEqual([])
  })

  it('findings of any type render (an `also` from a caller that is not buildAlert)', async () => {
    const base = await grouped(EIGHT)
    const hostile = { ...base, also: [null, 5, 'x', { title: { toString: 1 }, severity: 'urgent', conditions: 'not a list', ruleId: ['a'] }, { __proto__: { ruleId: 'p' } }] } as unknown as Alert
    const m = renderSlack(hostile)
    expectWithinLimits(m)
    expect(m.blocks[0]?.type === 'header' ? m.blocks[0].text.text : '').toMatch(/\(\+5 more\)$/)
    expect(renderText(hostile, ['#alerts'])).toContain('also     [HIGH]')
    expect(renderDigest([hostile], '2026-11-22T12:00:00Z', 20).text).toBe('Alert storm: 6 alerts summarized')
  })

  it('the text rendering (stdout, replay) lists every finding with its why and runbook', async () => {
    const alert = await grouped(EIGHT)
    const out = renderText(alert, ['#alerts'])
    expect(out.split('\n')[0]).toMatch(/^\[HIGH\] .+ \+7 more$/)
    for (const f of alert.also ?? []) expect(out).toContain(`(${f.ruleId})`)
    expect(out.match(/^ {2}also {5}\[/gm)).toHaveLength(7)
  })

  it('the minimal rendering (Slack rejected the full one) still names every rule', async () => {
    const alert = await grouped(EIGHT)
    const m = renderMinimal(alert, 'msg_blocks_too_long')
    for (const f of [alert, ...(alert.also ?? [])]) expect(m.text).toContain(f.ruleId)
  })

  it('a storm digest counts per finding: a grouped alert of eight rules counts under each of them', async () => {
    const alert = await grouped(EIGHT)
    const m = renderDigest([alert, alert], '2026-11-22T12:00:00Z', 20)
    expect(m.text).toBe('Alert storm: 16 alerts summarized')
    const json = JSON.stringify(m.blocks)
    for (const f of [alert, ...(alert.also ?? [])]) expect(json).toContain(f.ruleId)
  })
})
