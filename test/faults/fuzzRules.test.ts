import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { stringify, parse } from 'yaml'
import { readdirSync, readFileSync } from 'node:fs'
import { compileRuleSet } from '../../src/core/rules/engine/compileRuleSet.js'
import { formatProblem } from '../../src/core/rules/language/yamlSource.js'
import { mutateJson } from '../support/mutateJson.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 600) / 2
const files = readdirSync('rules/ecs').filter((f) => f.endsWith('.yaml')).map((f) => ({ file: `rules/ecs/${f}`, text: readFileSync(`rules/ecs/${f}`, 'utf8') }))
const lists = parse(readFileSync('trailwarden.example.yaml', 'utf8')) as { lists: Record<string, string[]> }

const replacement = fc.oneof(
  fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}),
  fc.constantFrom({ prefx: 'a' }, { regex: '(a)\\1' }, { wildcard: 'a**' }, { numeric: ['>'] }, { list: 'nope' }, { 'anything-but': { suffix: 1 } }, { $or: [] }, { exists: 'yes' }, { cidr: '300.1.1.1/99' }),
)
const mutatedText = fc.oneof(
  fc.tuple(fc.constantFrom(...files), fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), replacement)
    .map(([f, path, r]) => ({ file: f.file, text: stringify(mutateJson(parse(f.text), path, r)) })),
  fc.tuple(fc.constantFrom(...files), fc.nat(), fc.string({ maxLength: 5 }))
    .map(([f, n, s]) => ({ file: f.file, text: f.text.slice(0, n % f.text.length) + s + f.text.slice((n % f.text.length) + 1) })),
)

describe(`fuzzed rule files (${RUNS} runs): validation never throws; it accepts or locates every problem`, () => {
  it('holds for every mutation', () => {
    let errors = 0
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
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261122) },
    )
    if (process.env.FUZZ_RUNS) process.stdout.write(`fuzz rules: ${RUNS} mutated rule files: ${errors} refused with located errors, ${RUNS - errors} still valid, 0 throws\n`)
  }, 600_000)
})
