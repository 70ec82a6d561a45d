import { beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { ACTIONS, alertActions, silenceModal, statusBlocks, withStatus } from '../../../src/core/alerts/actionBlocks.js'
import { renderSlack } from '../../../src/core/alerts/renderSlack.js'
import { decide } from '../../../src/core/decide/decide.js'
import { readEvents } from '../../../src/core/intake/readEvents.js'
import type { NormalisedEvent } from '../../../src/core/intake/types.js'
import { compilePattern } from '../../../src/core/rules/pattern/compilePattern.js'
import { matchNode } from '../../../src/core/rules/pattern/evaluatePattern.js'
import { RULE_FIELDS } from '../../../src/core/rules/language/ruleFields.js'
import type { Problem } from '../../../src/core/rules/language/problem.js'
import { alertRef, alertScopes, scopeOf } from '../../../src/core/silences/alertScopes.js'
import { type Silence, type SilenceScopeKind, silenceCovers } from '../../../src/core/silences/silence.js'
import { readSilenceRequest } from '../../../src/core/silences/silenceRequest.js'
import { silenceException, silencesYaml } from '../../../src/core/silences/silencesYaml.js'
import type { ActiveSet } from '../../../src/daemon/activeSet.js'
import { loadActiveSet } from '../../../src/daemon/loadActiveSet.js'
import { alertFor } from '../../support/alerts.js'
import { fixtureText } from '../../support/fixtures.js'

const FIXTURE = 'rules/ecs/fixtures/BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json'
const RULE = 'ecs-console-change-in-prod'
const NOW = Date.parse('2026-12-02T07:00:00Z')
const ARN = 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice@example.com'
let active: ActiveSet
let event: NormalisedEvent

beforeAll(async () => {
  const outcome = await loadActiveSet({ rulesDir: 'rules', configPath: 'trailwarden.example.yaml', now: NOW }, { slack: false })
  if (!outcome.ok) throw new Error('the bundled rules must load')
  active = outcome.active
  event = readEvents(fixtureText(FIXTURE), active.settings, active.intake).events[0]!
})

const silence = (kind: SilenceScopeKind, over: Partial<Silence> = {}): Silence => ({
  id: '0123456789abcdef',
  ruleId: RULE,
  scope: kind === 'service' ? { kind, cluster: 'prod-web', service: 'web' } : kind === 'cluster' ? { kind, cluster: 'prod-web' } : { kind, actorArn: ARN },
  reason: 'rollout of web, INC-4711',
  author: 'U0ALICE',
  createdAt: NOW - 60_000,
  expiresAt: NOW + 3_600_000,
  ...over,
})

const rulesOf = (d: ReturnType<typeof decide>) => d.alerts.map((a) => a.alert.ruleId)

describe('decide with silences: suppressed like exceptions, by rule and scope, until they end', () => {
  it.each(['service', 'cluster', 'actor'] as const)('a %s silence suppresses its rule only', (kind) => {
    const plain = decide([event], active.decision, { now: NOW })
    expect(rulesOf(plain)).toContain(RULE)
    const silenced = decide([event], active.decision, { now: NOW, silences: [silence(kind)] })
    expect(rulesOf(silenced)).not.toContain(RULE)
    expect(rulesOf(silenced)).toEqual(rulesOf(plain).filter((r) => r !== RULE))
    expect(silenced.silenced.map((s) => [s.rule.id, s.silence.id])).toEqual([[RULE, '0123456789abcdef']])
  })

  it('no longer applies at its end, after Undo, to another service, cluster, actor or rule', () => {
    const cases: Silence[] = [
      silence('service', { expiresAt: NOW }),
      silence('service', { undone: { by: 'U0BOB', at: NOW - 1 } }),
      silence('service', { scope: { kind: 'service', cluster: 'prod-web', service: 'checkout' } }),
      silence('cluster', { scope: { kind: 'cluster', cluster: 'prod-api' } }),
      silence('actor', { scope: { kind: 'actor', actorArn: `${ARN}x` } }),
      silence('service', { ruleId: 'ecs-exec-session' }),
    ]
    for (const s of cases) expect(rulesOf(decide([event], active.decision, { now: NOW, silences: [s] }))).toContain(RULE)
  })

  it.each(['service', 'cluster', 'actor'] as const)('the exported exception of a %s silence matches exactly what the silence covers', (kind) => {
    const s = silence(kind)
    const ctx = { lists: {}, extensions: new Set<string>(), problems: [] as Problem[] }
    const node = compilePattern(silenceException(s).match, [], ctx, { fields: RULE_FIELDS, dottedKeys: true })
    expect(ctx.problems).toEqual([])
    expect(matchNode(node!, event.subject)).toBe(true)
    for (const fixture of ['BUILT__ecs__DeleteService__IAMUser_cli_longTermKey_prod.json', 'BUILT__ecs__UpdateService__AssumedRole_sso_console_scaleToZero_prod.json', 'BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json']) {
      const other = readEvents(fixtureText(`rules/ecs/fixtures/${fixture}`), active.settings, active.intake).events[0]!
      expect(matchNode(node!, other.subject)).toBe(silenceCovers(s, RULE, other))
    }
  })
})

describe('silences export', () => {
  it('prints each active silence as an exception of its rule: reason with author and end, expires as the last day, match', () => {
    const yaml = silencesYaml([silence('service'), silence('actor', { id: 'fedcba9876543210', expiresAt: NOW - 1 })], NOW)
    expect(yaml).toMatch(/^# trailwarden silences export, 2026-12-02T07:00:00Z: 1 active silence\./)
    expect(parse(yaml)).toEqual({
      [RULE]: [{
        reason: 'rollout of web, INC-4711 (silenced in Slack by U0ALICE on 2026-12-02T06:59:00Z until 2026-12-02T08:00:00Z)',
        expires: '2026-12-02',
        match: { 'ecs.cluster': ['prod-web'], 'ecs.service': ['web'] },
      }],
    })
  })

  it('stays valid YAML whatever a reason or a scope value holds', () => {
    const hostile = silence('cluster', { reason: '"]: {x: *a} # \n- !!js/function', scope: { kind: 'cluster', cluster: 'a: b\n- c' } })
    const parsed = parse(silencesYaml([hostile], NOW)) as Record<string, Array<{ reason: string, match: Record<string, string[]> }>>
    expect(parsed[RULE]![0]!.match['ecs.cluster']).toEqual(['a: b\n- c'])
    expect(parsed[RULE]![0]!.reason.startsWith('"]: {x: *a} # \n- !!js/function')).toBe(true)
  })
})

describe('the Silence modal\'s answers', () => {
  const state = (scope: string | undefined, choice: string | undefined, reason: string, until?: string) => ({
    values: {
      'tw-scope': { scope: { type: 'radio_buttons', selected_option: scope ? { value: scope } : null } },
      'tw-for': { for: { type: 'static_select', selected_option: choice ? { value: choice } : null } },
      'tw-until': { until: { type: 'datepicker', selected_date: until ?? null } },
      'tw-reason': { reason: { type: 'plain_text_input', value: reason } },
    },
  })

  it.each([['1h', 3_600_000], ['4h', 4 * 3_600_000], ['24h', 24 * 3_600_000]] as const)('%s ends that long from now', (choice, ms) => {
    expect(readSilenceRequest(state('cluster', choice, 'known rollout'), NOW)).toEqual({ ok: true, kind: 'cluster', expiresAt: NOW + ms, reason: 'known rollout' })
  })

  it('a date ends after that day (UTC), like an exception\'s expires', () => {
    expect(readSilenceRequest(state('actor', 'date', 'migration week', '2026-12-05'), NOW)).toMatchObject({ ok: true, expiresAt: Date.parse('2026-12-06T00:00:00Z') })
  })

  it('says what is missing or wrong next to each input', () => {
    expect(readSilenceRequest(state(undefined, 'date', 'x', '2026-11-30'), NOW)).toEqual({
      ok: false,
      errors: { 'tw-scope': 'Choose what to silence.', 'tw-until': 'That day is over: pick today or a later day.', 'tw-reason': expect.stringContaining('Say why') as unknown },
    })
    expect(readSilenceRequest(state('service', 'date', 'long enough', '2027-06-01'), NOW)).toMatchObject({ ok: false, errors: { 'tw-until': expect.stringContaining('At most 90 days') as unknown } })
    expect(readSilenceRequest(state('service', '999h', 'long enough'), NOW)).toMatchObject({ ok: false, errors: { 'tw-for': 'Choose how long.' } })
    expect(readSilenceRequest(null, NOW)).toMatchObject({ ok: false })
  })
})

describe('action blocks', () => {
  it('without actions an alert renders as before; with them, one actions block more whose values are refs', async () => {
    const alert = await alertFor(FIXTURE, RULE)
    const plain = renderSlack(alert)
    const withButtons = renderSlack(alert, { actions: true })
    expect(JSON.stringify(plain.blocks)).not.toContain('"actions"')
    expect(withButtons.blocks.filter((b) => b.type !== 'actions')).toEqual(plain.blocks)
    const actions = withButtons.blocks.find((b) => b.type === 'actions')
    expect(actions).toEqual(alertActions(alertRef(alert)))
    for (const e of actions?.type === 'actions' ? actions.elements : []) {
      expect(e.value).toMatch(/^[0-9a-f]{16}$/)
      expect(JSON.stringify(alert)).not.toContain(e.value)
    }
  })

  it('a button value never carries event text, however long the event\'s values are', async () => {
    const body = JSON.parse(fixtureText(FIXTURE)) as Record<string, unknown>
    ;(body.requestParameters as Record<string, unknown>).service = 'x'.repeat(100_000)
    const alert = await alertFor(FIXTURE, RULE, JSON.stringify(body))
    const blocks = renderSlack(alert, { actions: true }).blocks
    for (const b of blocks) if (b.type === 'actions') for (const e of b.elements) expect(e.value.length).toBeLessThanOrEqual(16)
    // The scope comes from the event's context, exact (what a silence compares), and one longer than an ARN can be is not offered.
    const longEvent = readEvents(JSON.stringify(body), active.settings, active.intake).events[0]!
    expect(scopeOf(alertScopes(alert, longEvent.context), 'service')).toBeUndefined()
    expect(scopeOf(alertScopes(alert, event.context), 'service')).toEqual({ kind: 'service', cluster: 'prod-web', service: 'web' })
  })

  it('status replaces trailwarden\'s own blocks, keeps the rest, and offers Undo while silenced', async () => {
    const alert = await alertFor(FIXTURE, RULE)
    const posted = renderSlack(alert, { actions: true }).blocks as unknown[]
    const ref = alertRef(alert)
    const once = withStatus(posted, ref, { acks: [{ user: 'U0BOB', at: NOW }], vouches: [], silence: silence('service') }, NOW)
    const twice = withStatus(once, ref, { acks: [{ user: 'U0BOB', at: NOW }], vouches: [], silence: silence('service') }, NOW)
    expect(twice).toEqual(once)
    expect(once.slice(0, posted.length - 1)).toEqual(posted.slice(0, -1))
    const ids = (statusBlocks(ref, { acks: [], vouches: [], silence: silence('service') }, NOW).at(-1) as { elements: Array<{ action_id: string }> }).elements.map((e) => e.action_id)
    expect(ids).toEqual([ACTIONS.ack, ACTIONS.undo, ACTIONS.mine])
    // A mention from a payload only when it is a user id; the scope values inert in code spans.
    const text = JSON.stringify(withStatus(posted, ref, { acks: [{ user: '<!channel>', at: NOW }], vouches: [], silence: silence('cluster', { scope: { kind: 'cluster', cluster: '<!here>' } }) }, NOW))
    expect(text).not.toContain('<!channel>')
    expect(text).not.toContain('<!here>')
  })

  it('the modal offers only the scopes the alert names, its metadata as given', async () => {
    const alert = await alertFor(FIXTURE, RULE)
    const view = silenceModal(alertScopes(alert), '{"r":"0123456789abcdef"}')
    expect(view.private_metadata).toBe('{"r":"0123456789abcdef"}')
    expect(JSON.stringify(view)).toContain('"value":"service"')
    const noService = silenceModal({ ruleId: RULE, title: 't', actorArn: ARN }, '{}')
    expect(JSON.stringify(noService)).not.toContain('"value":"service"')
    expect(JSON.stringify(noService)).toContain('"value":"actor"')
  })
})
