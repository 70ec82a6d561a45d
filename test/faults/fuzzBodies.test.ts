import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Alert } from '../../src/core/alerts/alert.js'
import { buildAlert } from '../../src/core/alerts/buildAlert.js'
import { renderDigest } from '../../src/core/alerts/renderDigest.js'
import { renderReply, renderSlack } from '../../src/core/alerts/renderSlack.js'
import { renderText } from '../../src/core/alerts/renderText.js'
import { readEvents } from '../../src/core/intake/readEvents.js'
import { evaluate } from '../../src/core/rules/engine/evaluate.js'
import { loadRules } from '../../src/config/loadRules.js'
import { activeSetOf } from '../../src/daemon/activeSet.js'
import { createMessageProcessor } from '../../src/daemon/createMessageProcessor.js'
import { createMetrics } from '../../src/metrics/createMetrics.js'
import type { AlertSink } from '../../src/sinks/alertSink.js'
import { renderSlackSafely, renderTextSafely } from '../../src/core/alerts/renderSafely.js'
import { fixtureJson, fixturePaths, fixtureText } from '../support/fixtures.js'
import { valueAtPath } from '../../src/core/json.js'
import { mutateJson, NORMALISER_FIELDS, RENDER_FIELDS, setAt, WRONG_TYPED } from '../support/mutateJson.js'

/** FUZZ_RUNS=10000 (npm run fuzz) for the long run; a quick subset in npm test. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1500)
const bundle = await loadRules({ rulesDir: 'rules', configPath: 'trailwarden.example.yaml' })
const seedPaths = fixturePaths('rules/ecs/fixtures').concat(fixturePaths('corpus'))
const seeds = seedPaths.map(fixtureText)
/** The real records, unwrapped from their envelopes. The rule pack's own fixtures are the ones that alert. */
const recordOf = (p: string) => {
  const j = fixtureJson(p)
  return ('detail' in j ? j.detail : j) as Record<string, unknown>
}
const alertingPaths = fixturePaths('rules/ecs/fixtures')
const alerting = alertingPaths.map(recordOf)
const otherPaths = fixturePaths('corpus').filter((p) => typeof recordOf(p).eventName === 'string')
const envelope = fixtureJson('corpus/WRAPPED-BY-RESEARCHER__envelope__ecs__CreateCluster__AssumedRole_console_mfaFalse__awsdocs.json')
const FIELDS = NORMALISER_FIELDS.concat(RENDER_FIELDS)
const NOW = Date.parse('2026-11-22T12:00:00Z')

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c))
/** Text with lone surrogates in it, at the start, the middle or the end. */
const surrogateText = fc.tuple(fc.string({ maxLength: 12 }), loneSurrogate, fc.string({ maxLength: 12 }), fc.option(loneSurrogate, { nil: '' }))
  .map(([a, s, b, t]) => `${t}${a}${s}${b}`)
/** Objects whose toString / valueOf are data, not functions: String() and template literals throw on them. */
const primitiveHooks = fc.record(
  { toString: fc.jsonValue({ maxDepth: 1 }), valueOf: fc.jsonValue({ maxDepth: 1 }), toJSON: fc.jsonValue({ maxDepth: 1 }) },
  { requiredKeys: [] },
)
/** Own __proto__ / constructor / prototype keys, as JSON.parse makes them. */
const prototypeKeyed = fc.constantFrom(
  '{"__proto__":{"toString":1}}', '{"constructor":{"prototype":{"polluted":true}}}', '{"__proto__":{"polluted":true},"toString":"x"}', '["__proto__"]',
).map((t) => JSON.parse(t) as unknown)

/** Change one value deep in a JSON tree: the shape stays CloudTrail-like, the content goes wild. */
const hostile = fc.oneof(
  fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant('__proto__'),
  fc.constant({ __proto__: { polluted: true } }), fc.constant('<!channel> <@U1> <https://x|y>'), fc.array(fc.anything(), { maxLength: 5 }),
  fc.dictionary(fc.string(), fc.anything(), { maxKeys: 5 }), fc.constant('x'.repeat(50_000)),
  fc.constantFrom(...WRONG_TYPED.map(([, v]) => v)), surrogateText, primitiveHooks, prototypeKeyed,
  fc.array(fc.oneof(primitiveHooks, surrogateText, fc.integer(), prototypeKeyed), { minLength: 1, maxLength: 3 }),
)

/** The fields of FIELDS a record has, or could have (their parent is there): a change there is read. */
const fieldsOf = (record: Record<string, unknown>) => FIELDS.filter((path) => path.length === 1 || valueAtPath(record, path.slice(0, -1)) !== undefined)
const withFields = (paths: string[]) => paths.map((path) => ({ name: path.split('/').pop()!, record: recordOf(path), fields: fieldsOf(recordOf(path)) }))
/** How a hostile value reads in a report: short, and with its lone surrogates visible. */
const shown = (value: unknown) => {
  const text = JSON.stringify(value) as string | undefined
  return (text ?? 'undefined').slice(0, 80)
}

interface Mutated { record: unknown, label: string }
/** A record with one to four of the fields the normaliser and the renderer read set to hostile values, and what was changed. */
const hostileRecord: fc.Arbitrary<Mutated> = fc
  .oneof({ arbitrary: fc.constantFrom(...withFields(alertingPaths)), weight: 3 }, fc.constantFrom(...withFields(otherPaths)))
  .chain(({ name, record, fields }) => fc.array(fc.tuple(fc.constantFrom(...fields), hostile), { minLength: 1, maxLength: 4 })
    .map((changes) => ({
      record: changes.reduce<unknown>((r, [path, value]) => setAt(r, path, value), record),
      label: `${name} with ${changes.map(([path, value]) => `${path.join('.')}=${shown(value)}`).join(', ')}`,
    })))
const labelled = (body: string) => ({ body, label: `the body ${JSON.stringify(body.slice(0, 300))}` })

/** Such records in every shape a body carries them: bare, in an envelope, in an S3 Records file next to real ones, via SNS. */
const hostileBodies = fc.oneof(
  hostileRecord.map((m) => ({ body: JSON.stringify(m.record), label: `bare record ${m.label}` })),
  hostileRecord.map((m) => ({ body: JSON.stringify({ ...envelope, detail: m.record }), label: `envelope of ${m.label}` })),
  fc.tuple(fc.array(hostileRecord, { minLength: 1, maxLength: 2 }), fc.array(fc.constantFrom(...alerting), { maxLength: 3 })).map(([bad, good]) => ({
    body: JSON.stringify({ Records: [...good.slice(0, 1), ...bad.map((m) => m.record), ...good.slice(1)] }),
    label: `S3 Records with ${good.length} real records and ${bad.map((m) => m.label).join('; ')}`,
  })),
  hostileRecord.map((m) => ({
    body: JSON.stringify({ Type: 'Notification', MessageId: 'm-1', Message: JSON.stringify({ ...envelope, detail: m.record }) }),
    label: `SNS of an envelope of ${m.label}`,
  })),
)

const bodies = fc.oneof(
  { arbitrary: hostileBodies, weight: 10 },
  { arbitrary: fc.oneof(
    // Mutated real envelopes and records, anywhere in the tree.
    fc.tuple(fc.constantFrom(...seeds), fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), hostile)
      .map(([seed, path, r]) => JSON.stringify(mutateJson(JSON.parse(seed), path, r))),
    // Truncated real bodies, and real bodies with bytes flipped.
    fc.tuple(fc.constantFrom(...seeds), fc.nat()).map(([seed, n]) => seed.slice(0, n % seed.length)),
    fc.tuple(fc.constantFrom(...seeds), fc.nat(), fc.integer({ min: 0, max: 0xffff }))
      .map(([seed, n, c]) => seed.slice(0, n % seed.length) + String.fromCharCode(c) + seed.slice((n % seed.length) + 1)),
    // Random JSON, deeply nested JSON, wrong types, huge bodies, invalid UTF-8 (decoded as SQS would).
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.integer({ min: 1, max: 5000 }).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`),
    fc.constantFrom(
      '{"eventSource":1,"eventName":[],"eventTime":{}}',
      '{"Records":"no"}',
      '{"detail-type":"AWS API Call via CloudTrail","detail":[]}',
      '{"Type":"Notification","Message":7}',
    ),
    fc.constant(`{"pad":"${'y'.repeat(1_100_000)}"}`),
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('utf8')),
    fc.string(),
  ).map(labelled), weight: 10 },
)

const why = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 120)
interface RenderThrow { stage: string, error: string, rule: string, label: string }
const tally = { bodies: 0, events: 0, bodiesRejected: 0, recordsRejected: 0, alerts: 0, renderThrows: [] as RenderThrow[] }

/**
 * Build and render one alert every way a sink does. A throw is kept with the mutation that caused it, so a failing run
 * names each kind of throw and an input for it rather than only the first shrunk body.
 */
function renderAll(matches: ReturnType<typeof evaluate>['matched'], event: Parameters<typeof buildAlert>[1], label: string): Alert[] {
  const built: Alert[] = []
  for (const m of matches) {
    let stage = 'buildAlert'
    try {
      const alert = buildAlert(m, event, bundle.config.accounts)
      stage = 'renderSlack'
      const message = renderSlack(alert)
      expect(JSON.stringify(message)).not.toMatch(/<!channel>|<@U1>|<https:\/\/x\|y>/)
      stage = 'renderReply'
      renderReply(alert)
      stage = 'renderText'
      renderText(alert, ['#security'])
      built.push(alert)
    } catch (err) {
      if (err instanceof Error && err.name === 'AssertionError') throw err
      tally.renderThrows.push({ stage, error: why(err), rule: m.rule.id, label })
    }
  }
  return built
}

describe(`fuzzed SQS bodies (${RUNS} runs): read, evaluate, render — never a throw, always events or a reason`, () => {
  it('holds for every body', () => {
    fc.assert(
      fc.property(bodies, ({ body, label }) => {
        tally.bodies += 1
        const { events, rejections } = readEvents(body, bundle.settings)
        expect(events.length + rejections.length).toBeGreaterThan(0)
        for (const r of rejections) expect(r.message.length).toBeGreaterThan(0)
        if (events.length === 0) tally.bodiesRejected += 1
        tally.recordsRejected += rejections.length
        const alerts: Alert[] = []
        for (const e of events) {
          tally.events += 1
          alerts.push(...renderAll(evaluate(bundle.ruleSet, e, NOW).matched, e, label))
        }
        tally.alerts += alerts.length
        if (alerts.length > 0) {
          try {
            renderDigest(alerts, '2026-11-22T12:00:00Z', 20)
          } catch (err) {
            tally.renderThrows.push({ stage: 'renderDigest', error: why(err), rule: alerts[0]!.ruleId, label })
          }
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261122) },
    )
    const kinds = new Map<string, RenderThrow>()
    for (const t of tally.renderThrows) if (!kinds.has(`${t.stage}: ${t.error}`)) kinds.set(`${t.stage}: ${t.error}`, t)
    const report = [
      `fuzz bodies: ${tally.bodies} bodies: ${tally.events} events evaluated, ${tally.bodiesRejected} bodies rejected with a reason `
      + `(${tally.recordsRejected} rejections in all), ${tally.alerts} alerts rendered, ${tally.renderThrows.length} render throws`,
      ...[...kinds].map(([kind, t]) => `  ${kind} (rule ${t.rule}), e.g. ${t.label}`),
    ].join('\n')
    if (process.env.FUZZ_RUNS || tally.renderThrows.length > 0) process.stdout.write(`${report}\n`)
    expect(tally.alerts).toBeGreaterThan(RUNS / 20)
    expect([...kinds].map(([kind, t]) => `${kind} (rule ${t.rule}), e.g. ${t.label}`)).toEqual([])
  }, 600_000)
})

describe(`fuzzed SQS messages through the daemon's whole message processor (${Math.ceil(RUNS / 3)} runs)`, () => {
  it('never throws; every message is acknowledged or left for the DLQ with a reason; every alert reaches the sink rendered', async () => {
    const active = activeSetOf(bundle.ruleSet, bundle.config, bundle.settings)
    const logged: string[] = []
    const keep = (_o: object, m: string) => {
      logged.push(m)
    }
    const log = { info: () => undefined, debug: () => undefined, warn: keep, error: keep }
    let delivered = 0
    // The sink renders as the Slack and stdout sinks do: a rendering that throws would fail the delivery.
    const sink: AlertSink = {
      name: 'rendering',
      deliver: (alert, target) => {
        renderSlackSafely(alert, { mention: target.mention })
        renderTextSafely(alert, [target.channel])
        delivered += 1
        return Promise.resolve({ status: 'posted', channel: target.channel })
      },
      close: () => Promise.resolve(),
    }
    const processMessage = createMessageProcessor({ active: () => active, sink, metrics: createMetrics(), log, now: () => NOW })
    const outcomes = { ack: 0, poison: 0 }
    let n = 0
    await fc.assert(
      fc.asyncProperty(bodies, async ({ body }) => {
        n += 1
        const result = await processMessage({ MessageId: `m-${n}`, ReceiptHandle: `r-${n}`, Body: body, Attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(NOW) } })
        expect(['ack', 'poison']).toContain(result.action)
        outcomes[result.action as 'ack' | 'poison'] += 1
        if (result.action === 'poison') expect(logged.at(-1)).toBe('message cannot be read; not deleted')
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      }),
      { numRuns: Math.ceil(RUNS / 3), seed: Number(process.env.FUZZ_SEED ?? 20261202) },
    )
    if (process.env.FUZZ_RUNS) process.stdout.write(`fuzz processor: ${n} messages: ${outcomes.ack} acknowledged, ${outcomes.poison} left for the DLQ with a reason, ${delivered} alerts delivered, 0 throws\n`)
    expect(delivered).toBeGreaterThan(0)
    expect(logged).not.toContain('an event could not be evaluated (a defect: please report it); the message\'s other events are unaffected')
  }, 600_000)
})
