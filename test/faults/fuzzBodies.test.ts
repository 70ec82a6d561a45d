import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildAlert } from '../../src/core/alerts/buildAlert.js'
import { renderSlack } from '../../src/core/alerts/renderSlack.js'
import { readEvents } from '../../src/core/intake/readEvents.js'
import { evaluate } from '../../src/core/rules/engine/evaluate.js'
import { loadRules } from '../../src/config/loadRules.js'
import { fixturePaths, fixtureText } from '../support/fixtures.js'
import { mutateJson } from '../support/mutateJson.js'

/** FUZZ_RUNS=10000 (npm run fuzz) for the long run; a quick subset in npm test. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1500)
const bundle = await loadRules({ rulesDir: 'rules', configPath: 'trailwarden.example.yaml' })
const seeds = fixturePaths('rules/ecs/fixtures').concat(fixturePaths('corpus')).map(fixtureText)

/** Change one value deep in a JSON tree: the shape stays CloudTrail-like, the content goes wild. */
const hostile = fc.oneof(
  fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant('__proto__'),
  fc.constant({ __proto__: { polluted: true } }), fc.constant('<!channel> <@U1> <https://x|y>'), fc.array(fc.anything(), { maxLength: 5 }),
  fc.dictionary(fc.string(), fc.anything(), { maxKeys: 5 }), fc.constant('x'.repeat(50_000)),
)

const bodies = fc.oneof(
  // Mutated real envelopes and records.
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
)

describe(`fuzzed SQS bodies (${RUNS} runs): read, evaluate, render — never a throw, always events or a reason`, () => {
  it('holds for every body', () => {
    const tally = { events: 0, rejected: 0, alerts: 0 }
    fc.assert(
      fc.property(bodies, (body) => {
        const { events, rejections } = readEvents(body, bundle.settings)
        expect(events.length + rejections.length).toBeGreaterThan(0)
        for (const r of rejections) expect(r.message.length).toBeGreaterThan(0)
        if (events.length === 0) tally.rejected += 1
        for (const e of events) {
          tally.events += 1
          for (const m of evaluate(bundle.ruleSet, e, Date.now()).matched) {
            tally.alerts += 1
            const message = renderSlack(buildAlert(m, e, bundle.config.accounts))
            expect(JSON.stringify(message)).not.toMatch(/<!channel>|<@U1>|<https:\/\/x\|y>/)
          }
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261122) },
    )
    if (process.env.FUZZ_RUNS) process.stdout.write(`fuzz bodies: ${RUNS} runs: ${tally.events} events evaluated, ${tally.rejected} bodies rejected with a reason, ${tally.alerts} alerts rendered, 0 throws\n`)
  }, 600_000)
})
