import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { compileRuleSet } from '../../../../src/core/rules/engine/compileRuleSet.js'
import { formatProblem, parseYamlSource } from '../../../../src/core/rules/language/yamlSource.js'
import { matchesPattern } from '../../../../src/core/rules/pattern/matchesPattern.js'

const here = 'test/core/rules/language/fixtures'
/** The file as if it stood in rules/ecs/ under its rule's name. */
const ruleFile = (name: string) => ({ file: 'rules/ecs/ecs-task-run-by-human-in-prod.yaml', text: readFileSync(`${here}/${name}`, 'utf8') })
const errorsOf = (name: string) => compileRuleSet([ruleFile(name)], { lists: {} }).problems.filter((p) => p.severity === 'error').map(formatProblem)

describe('a __proto__ key in a rule is refused, located (issue 16)', () => {
  it('in an exception pattern: the exception would otherwise suppress more than it says', () => {
    expect(errorsOf('ecs-task-run-by-human-in-prod.proto-exception.yaml')).toEqual([
      'rules/ecs/ecs-task-run-by-human-in-prod.yaml:16:7 ecs-task-run-by-human-in-prod: a key named __proto__ cannot be used: JavaScript objects drop it, '
      + 'so the mapping would say less than it is written to say — remove it (no CloudTrail record has such a field)',
    ])
  })

  it('as a dotted part, and nothing reaches Object.prototype', () => {
    expect(errorsOf('ecs-task-run-by-human-in-prod.dotted-proto.yaml')).toEqual([
      expect.stringMatching(/^rules\/ecs\/ecs-task-run-by-human-in-prod\.yaml:14:7 ecs-task-run-by-human-in-prod: a key named __proto__ cannot be used/) as unknown,
    ])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('quoted, or through an alias, in any mapping of the file', () => {
    const text = 'id: x\nmatch:\n  "__proto__": [a]\ntags: &k __proto__\nnotify: { *k : 1 }\n'
    expect(parseYamlSource('rules/x.yaml', text).problems.map((p) => `${p.line}:${p.col}`)).toEqual(['3:3', '5:11'])
  })

  it('constructor and prototype stay ordinary field names: they match an own field only', () => {
    const text = readFileSync('rules/ecs/ecs-task-run-by-human-in-prod.yaml', 'utf8')
      .replace('match: { actor.role: [{ list: pipeline_roles }] }', 'match: { actor.role: [x], requestParameters.constructor: [y], requestParameters.prototype.z: [1] }')
    const { ruleSet, problems } = compileRuleSet([{ file: 'rules/ecs/ecs-task-run-by-human-in-prod.yaml', text }], { lists: {} })
    expect(problems.filter((p) => p.severity === 'error').map(formatProblem)).toEqual([])
    expect(ruleSet?.rules[0]?.exceptions[0]?.match.fields.map((f) => f.key)).toEqual(['actor', 'requestParameters'])
    expect(matchesPattern({ detail: { constructor: ['x'] } }, { detail: {} })).toBe(false)
    expect(matchesPattern({ detail: { constructor: ['x'] } }, { detail: { constructor: 'x' } })).toBe(true)
  })

  it('a JSON pattern with an own __proto__ key (the library API) is refused too', () => {
    expect(() => matchesPattern(JSON.parse('{"__proto__": {"source": ["x"]}, "source": ["aws.ecs"]}'), { source: 'aws.ecs' })).toThrow(/__proto__/)
  })
})
