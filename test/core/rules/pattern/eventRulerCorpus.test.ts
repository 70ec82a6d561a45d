import { describe, expect, it } from 'vitest'
import { matchesPattern } from '../../../../src/core/rules/pattern/matchesPattern.js'
import { fixtureText } from '../../../support/fixtures.js'

interface Case { rule: string, case: string, case_file: string, expected: boolean, source: string }

const manifest = JSON.parse(fixtureText('event-ruler/manifest.json')) as Case[]
const ruler = manifest.filter((c) => c.rule.startsWith('aws-event-ruler'))

// aws/event-ruler's own test cases (pattern + event + expected result), copied with their provenance
// into test/fixtures/event-ruler/manifest.json.
describe('matchesPattern agrees with aws/event-ruler on its test cases', () => {
  it('has the cases', () => {
    expect(ruler.length).toBeGreaterThan(70)
  })
  it.each(ruler.map((c) => [c.case_file, c] as const))('%s', (_file, c) => {
    const { pattern, event } = JSON.parse(fixtureText(`event-ruler/${c.case_file}`)) as { pattern: unknown, event: unknown }
    expect(matchesPattern(pattern, event)).toBe(c.expected)
  })
})
