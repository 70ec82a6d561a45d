import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { stringify, parse } from 'yaml'
import { readdirSync, readFileSync } from 'node:fs'
import { compileRuleSet } from '../../src/core/rules/engine/compileRuleSet.js'
import { formatProblem } from '../../src/core/rules/language/yamlSource.js'
import { insertKey, mutateJson, WRONG_TYPED } from '../support/mutateJson.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 600) / 2
const files = readdirSync('rules/ecs').filter((f) => f.endsWith('.yaml')).map((f) => ({ file: `rules/ecs/${f}`, text: readFileSync(`rules/ecs/${f}`, 'utf8') }))
const lists = parse(readFileSync('trailwarden.example.yaml', 'utf8')) as { lists: Record<string, string[]> }

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c))
const replacement = fc.oneof(
  fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}),
  fc.constantFrom({ prefx: 'a' }, { regex: '(a)\\1' }, { wildcard: 'a**' }, { numeric: ['>'] }, { list: 'nope' }, { 'anything-but': { suffix: 1 } }, { $or: [] }, { exists: 'yes' }, { cidr: '300.1.1.1/99' }),
  // Wrong-typed values, objects with toString / valueOf / __proto__ keys, lone surrogates.
  fc.constantFrom(...WRONG_TYPED.map(([, v]) => v)),
  fc.tuple(fc.string({ maxLength: 8 }), loneSurrogate).map(([s, c]) => `${s}${c}`),
  fc.constantFrom('{"toString":1}', '{"valueOf":{"x":1}}', '{"__proto__":{"eventName":["RunTask"]}}', '[{"toString":{}}]').map((t) => JSON.parse(t) as unknown),
)
/** Keys named after Object.prototype's members, plain and dotted, added to any mapping of a rule. */
const prototypeKey = fc.constantFrom(
  '__proto__', '__proto__.polluted', 'actor.__proto__', 'requestParameters.__proto__.x', 'constructor', 'constructor.prototype.polluted',
  'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'actor.constructor',
)
const mutatedText = fc.oneof(
  fc.tuple(fc.constantFrom(...files), fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), replacement)
    .map(([f, path, r]) => ({ file: f.file, text: stringify(mutateJson(parse(f.text), path, r)), protoKey: false })),
  fc.tuple(fc.constantFrom(...files), fc.nat(), fc.string({ maxLength: 5 }))
    .map(([f, n, s]) => ({ file: f.file, text: f.text.slice(0, n % f.text.length) + s + f.text.slice((n % f.text.length) + 1), protoKey: false })),
  fc.tuple(fc.constantFrom(...files), fc.array(fc.nat(), { maxLength: 4 }), prototypeKey, fc.oneof(fc.constant(['yes']), replacement))
    .map(([f, path, key, v]) => ({ file: f.file, text: stringify(insertKey(parse(f.text), path, key, v)), protoKey: key.split('.').includes('__proto__') })),
)

describe(`fuzzed rule files (${RUNS} runs): validation never throws; it accepts or locates every problem`, () => {
  it('holds for every mutation', () => {
    let errors = 0
    let protoRefused = 0
    fc.assert(
      fc.property(mutatedText, (source) => {
        const { ruleSet, problems } = compileRuleSet([source], { lists: lists.lists })
        const errs = problems.filter((p) => p.severity === 'error')
        if (!ruleSet) {
          expect(errs.length).toBeGreaterThan(0)
          errors += 1
        }
        for (const p of errs) {
          expect(p.line).toBeGreaterThanOrEqual(1)
          expect(p.col).toBeGreaterThanOrEqual(1)
          expect(formatProblem(p)).toMatch(/^rules\/ecs\/[a-z0-9-]+\.yaml:\d+:\d+ \S+: .+/)
        }
        // A __proto__ key anywhere is refused, by name; nothing ever reaches Object.prototype.
        if (source.protoKey) {
          expect(ruleSet).toBeUndefined()
          expect(errs.some((p) => p.message.includes('__proto__'))).toBe(true)
          protoRefused += 1
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
        expect(Object.prototype).not.toHaveProperty('eventName')
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261122) },
    )
    if (process.env.FUZZ_RUNS) {
      process.stdout.write(`fuzz rules: ${RUNS} mutated rule files: ${errors} refused with located errors (${protoRefused} for a __proto__ key), ${RUNS - errors} still valid, 0 throws\n`)
    }
  }, 600_000)
})
