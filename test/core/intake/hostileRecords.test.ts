import { describe, expect, it } from 'vitest'
import { readEvents, CANNOT_NORMALISE } from '../../../src/core/intake/readEvents.js'
import { compileNormaliseSettings, type NormaliseSettings } from '../../../src/core/intake/settings.js'
import { evaluate } from '../../../src/core/rules/engine/evaluate.js'
import { loadRules } from '../../../src/config/loadRules.js'
import { fixtureJson, fixturePaths } from '../../support/fixtures.js'
import { NORMALISER_FIELDS, setAt, WRONG_TYPED } from '../../support/mutateJson.js'

const bundle = await loadRules({ rulesDir: 'rules', configPath: 'trailwarden.example.yaml' })
const record = (path: string): Record<string, unknown> => {
  const json = fixtureJson(path)
  return 'detail' in json ? (json.detail as Record<string, unknown>) : json
}

/** Three built records each of which one bundled rule alerts on. */
const MATCHING = [
  'rules/ecs/fixtures/BUILT__ecs__DeleteService__IAMUser_cli_longTermKey_prod.json',
  'rules/ecs/fixtures/BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json',
  'rules/ecs/fixtures/BUILT__ecs__RegisterTaskDefinition__IAMUser_cryptomining_dockerHub_cpu16384.json',
].map(record)
const alertsOf = (body: string, settings: NormaliseSettings = bundle.settings) => {
  const { events, rejections } = readEvents(body, settings)
  return { events, rejections, alerts: events.flatMap((e) => evaluate(bundle.ruleSet, e, Date.parse('2026-11-22T00:00:00Z')).matched.map((m) => m.rule.id)) }
}

describe('one record of the wrong shape costs no other record its alert (issue 16)', () => {
  it('an S3 Records file: eventType {"toString": 1} next to three matching records still gives the three alerts', () => {
    const bad = setAt(record('rules/ecs/fixtures/BUILT__ecs__RunTask__AccessDenied_IAMUser_cli.json'), ['eventType'], { toString: 1 })
    const alone = alertsOf(JSON.stringify({ Records: MATCHING }))
    const body = JSON.stringify({ Records: [MATCHING[0], bad, MATCHING[1], MATCHING[2]] })
    const mixed = alertsOf(body)
    expect(alone.alerts.length).toBeGreaterThanOrEqual(3)
    // The wrong-typed eventType reads as absent: the record is an API call like any other, and is evaluated too.
    expect(mixed.events).toHaveLength(4)
    expect(mixed.events[1]!.context.detailType).toBe('AWS API Call via CloudTrail')
    expect(mixed.alerts).toEqual(expect.arrayContaining(alone.alerts))
  })

  it('a record whose normalising throws is rejected alone, in fixed words, and the three others are read', () => {
    // A settings object that fails on one principal stands for any fault left in normalise.
    const secret = 'xoxb-0000-SECRET-FROM-THE-RECORD'
    const base = compileNormaliseSettings()
    const failing: NormaliseSettings = {
      ...base,
      mfaEnforcedUpstream: (arn) => {
        if (arn.includes('mallory')) throw new TypeError(`cannot read ${secret}`)
        return base.mfaEnforcedUpstream(arn)
      },
    }
    const bad = setAt(MATCHING[0], ['userIdentity', 'arn'], 'arn:aws:iam::111122223333:user/mallory')
    const { events, rejections, alerts } = alertsOf(JSON.stringify({ Records: [MATCHING[0], MATCHING[1], bad, MATCHING[2]] }), failing)
    expect(events).toHaveLength(3)
    expect(rejections).toEqual([{ reason: 'cannot-normalise', message: CANNOT_NORMALISE, index: 2 }])
    expect(JSON.stringify(rejections)).not.toContain(secret)
    expect(alerts.length).toBeGreaterThanOrEqual(3)
  })
})

describe('normalise is total: any JSON value in any field it reads', () => {
  const seeds = fixturePaths('rules/ecs/fixtures').concat(
    'corpus/ecs__CreateCluster__AssumedRole_console_mfaFalse__awsdocs.json',
    'corpus/other__sts_AssumeRole__AWSService_invokedBy_lambda__logicmonitor.json',
    'corpus/other__signin_ConsoleLogin__Root_withMFA__awsdocs.json',
  )
  it.each(WRONG_TYPED)('%s: every record is still an event, never a throw or a rejection', (_name, value) => {
    const failures: unknown[] = []
    // A 100 KB value is slow to copy 1,200 times: five seeds show it.
    for (const seed of typeof value === 'string' && value.length > 1000 ? seeds.slice(0, 5) : seeds) {
      const original = record(seed)
      for (const path of NORMALISER_FIELDS) {
        const { events, rejections } = readEvents(JSON.stringify(setAt(original, path, value)), bundle.settings)
        const event = events[0]
        // The event key stays short and printable whatever eventID or account holds; the subject can be built.
        if (rejections.length > 0 || events.length !== 1 || !/^[\x20-\x7e]{1,300}$/.test(event!.context.eventKey) || event!.subject.detail === undefined)
          failures.push({ seed, path, rejections, events: events.length })
      }
    }
    expect(failures).toEqual([])
  })
})
