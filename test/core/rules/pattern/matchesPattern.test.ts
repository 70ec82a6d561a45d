import { describe, expect, it } from 'vitest'
import { compilePattern } from '../../../../src/core/rules/pattern/compilePattern.js'
import { explainNode, matchNode } from '../../../../src/core/rules/pattern/evaluatePattern.js'
import { matchesPattern, PatternError } from '../../../../src/core/rules/pattern/matchesPattern.js'
import type { Problem } from '../../../../src/core/rules/language/problem.js'

// Examples after the EventBridge user guide's "Content filtering in Amazon EventBridge event patterns"
// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html).
const ec2 = { source: 'aws.ec2', detail: { 'state': 'running', 'instance-id': 'i-123', 'source-ip': '10.0.0.33', 'c': 5, 'tags': ['prod', 'web'], 'missing': null } }

describe('matchesPattern: every operator', () => {
  it.each<[string, unknown, unknown, boolean]>([
    ['exact string', { source: ['aws.ec2'] }, ec2, true],
    ['exact is case-sensitive', { source: ['AWS.EC2'] }, ec2, false],
    ['exact is type-sensitive', { detail: { c: ['5'] } }, ec2, false],
    ['exact number', { detail: { c: [5] } }, ec2, true],
    ['any of a list', { detail: { state: ['pending', 'running'] } }, ec2, true],
    ['null matches a null field', { detail: { missing: [null] } }, ec2, true],
    ['null does not match an absent field', { detail: { nothere: [null] } }, ec2, false],
    ['an array field matches when any element does', { detail: { tags: ['web'] } }, ec2, true],
    ['prefix', { detail: { state: [{ prefix: 'run' }] } }, ec2, true],
    ['prefix no', { detail: { state: [{ prefix: 'stop' }] } }, ec2, false],
    ['prefix ignoring case', { detail: { state: [{ prefix: { 'equals-ignore-case': 'RUN' } }] } }, ec2, true],
    ['suffix', { detail: { 'instance-id': [{ suffix: '123' }] } }, ec2, true],
    ['suffix ignoring case', { source: [{ suffix: { 'equals-ignore-case': '.EC2' } }] }, ec2, true],
    ['equals-ignore-case', { detail: { state: [{ 'equals-ignore-case': 'RUNNING' }] } }, ec2, true],
    ['wildcard', { detail: { 'instance-id': [{ wildcard: 'i-*3' }] } }, ec2, true],
    ['wildcard no', { detail: { 'instance-id': [{ wildcard: 'i-*4' }] } }, ec2, false],
    ['wildcard escaped star', { a: [{ wildcard: 'x\\*y' }] }, { a: 'x*y' }, true],
    ['wildcard escaped star is literal', { a: [{ wildcard: 'x\\*y' }] }, { a: 'xzzy' }, false],
    ['anything-but a value', { detail: { state: [{ 'anything-but': 'stopped' }] } }, ec2, true],
    ['anything-but a list', { detail: { state: [{ 'anything-but': ['stopped', 'running'] }] } }, ec2, false],
    ['anything-but a number', { detail: { c: [{ 'anything-but': 5 }] } }, ec2, false],
    ['anything-but prefix', { detail: { state: [{ 'anything-but': { prefix: 'stop' } }] } }, ec2, true],
    ['anything-but suffix', { detail: { state: [{ 'anything-but': { suffix: 'ing' } }] } }, ec2, false],
    ['anything-but wildcard list', { detail: { state: [{ 'anything-but': { wildcard: ['r*g', 's*'] } }] } }, ec2, false],
    ['anything-but equals-ignore-case', { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'RUNNING' } }] } }, ec2, false],
    // Decided where AWS is silent: anything-but needs the field to be there (as aws/event-ruler does).
    ['anything-but on an absent field does not match', { detail: { nothere: [{ 'anything-but': 'x' }] } }, ec2, false],
    ['exists true', { detail: { state: [{ exists: true }] } }, ec2, true],
    ['exists false on an absent field', { detail: { nothere: [{ exists: false }] } }, ec2, true],
    ['exists false when the parent is absent too', { nope: { deeper: [{ exists: false }] } }, ec2, true],
    ['exists false on a present field', { detail: { state: [{ exists: false }] } }, ec2, false],
    ['exists true does not see an object as a value', { detail: [{ exists: true }] }, ec2, false],
    ['exists false on an empty array', { a: [{ exists: false }] }, { a: [] }, true],
    ['numeric range', { detail: { c: [{ numeric: ['>', 0, '<=', 5] }] } }, ec2, true],
    ['numeric equals', { detail: { c: [{ numeric: ['=', 5] }] } }, ec2, true],
    ['numeric out of range', { detail: { c: [{ numeric: ['<', 5] }] } }, ec2, false],
    ['numeric does not read strings', { a: [{ numeric: ['>', 0] }] }, { a: '5' }, false],
    ['cidr IPv4', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, ec2, true],
    ['cidr IPv4 outside', { detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } }, ec2, false],
    ['cidr IPv6', { ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db8:1::5' }, true],
    ['cidr on a non-IP string', { ip: [{ cidr: '10.0.0.0/8' }] }, { ip: 'ecs.amazonaws.com' }, false],
    ['$or: one alternative matches', { $or: [{ source: ['aws.s3'] }, { detail: { c: [5] } }] }, ec2, true],
    ['$or: none matches', { $or: [{ source: ['aws.s3'] }, { detail: { c: [6] } }] }, ec2, false],
    ['$or nested inside a field', { detail: { $or: [{ state: ['x'] }, { c: [5] }] } }, ec2, true],
    ['all fields must match', { source: ['aws.ec2'], detail: { state: ['stopped'] } }, ec2, false],
    ['siblings match inside one array element', { r: { a: [1], b: [2] } }, { r: [{ a: 1, b: 9 }, { a: 9, b: 2 }] }, false],
    ['siblings in the same element', { r: { a: [1], b: [2] } }, { r: [{ a: 9, b: 9 }, { a: 1, b: 2 }] }, true],
    ['nested arrays are flattened', { r: { a: [1] } }, { r: [[{ a: 1 }]] }, true],
    ['a pattern naming constructor finds nothing inherited', { constructor: [{ exists: true }] }, {}, false],
  ])('%s', (_name, pattern, event, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected)
  })

  it('never throws on any event shape', () => {
    const node = compilePattern({ a: { b: [{ prefix: 'x' }] }, c: [{ numeric: ['>', 1] }] }, [], { lists: {}, extensions: new Set(), problems: [] })!
    for (const event of [undefined, null, 1, 'x', [], [[]], { a: 'x' }, { a: [1, null, 'x'] }, { a: { b: { c: 1 } } }, { c: [null, {}] }])
      expect(() => matchNode(node, event)).not.toThrow()
  })
})

describe('trailwarden extensions', () => {
  const compile = (pattern: unknown, lists = {}) => {
    const ctx = { lists, extensions: new Set<string>(), problems: [] as Problem[] }
    return { node: compilePattern(pattern, [], ctx, { dottedKeys: true }), ctx }
  }
  it('regex (RE2, linear time) and records that it is an extension', () => {
    const { node, ctx } = compile({ image: [{ regex: '^docker\\.io/.*:latest$' }] })
    expect(matchNode(node!, { image: 'docker.io/xmrig/xmrig:latest' })).toBe(true)
    expect(matchNode(node!, { image: 'public.ecr.aws/x:1' })).toBe(false)
    expect([...ctx.extensions]).toEqual(['regex'])
  })
  it('a regex that needs backtracking is refused', () => {
    const { ctx } = compile({ a: [{ regex: '(a)\\1' }] })
    expect(ctx.problems[0]?.message).toMatch(/regex "\(a\)\\\\1" is invalid/)
  })
  it('named lists as values and as operands', () => {
    const lists = { registries: ['111122223333.dkr.ecr.', 'public.ecr.aws/acme/'], accounts: ['111122223333'] }
    const { node, ctx } = compile({ account: [{ list: 'accounts' }], image: [{ 'anything-but': { prefix: { list: 'registries' } } }] }, lists)
    expect(ctx.problems).toEqual([])
    expect(matchNode(node!, { account: '111122223333', image: 'docker.io/library/alpine' })).toBe(true)
    expect(matchNode(node!, { account: '111122223333', image: 'public.ecr.aws/acme/web:1' })).toBe(false)
    expect([...ctx.extensions].sort()).toEqual(['list'])
  })
  it('dotted keys are shorthand for nesting in rules', () => {
    const { node } = compile({ 'actor.console': [true], 'actor': { type: ['Root'] } })
    expect(matchNode(node!, { actor: { console: true, type: 'Root' } })).toBe(true)
  })
})

describe('invalid patterns say what is wrong and how to fix it', () => {
  it.each<[string, unknown, string]>([
    ['a bare value', { eventName: 'RunTask' }, 'eventName: the value of \'eventName\' must be a list (EventBridge patterns put values in arrays) (write eventName: ["RunTask"])'],
    ['an unknown operator', { a: [{ prefx: 'x' }] }, 'a.0.prefx: unknown operator \'prefx\' — did you mean \'prefix\'?'],
    ['an empty list', { a: [] }, 'a: an empty list matches nothing'],
    ['two operators in one object', { a: [{ prefix: 'x', suffix: 'y' }] }, 'a.0: an operator object holds exactly one operator'],
    ['a bad numeric', { a: [{ numeric: ['>', 'x'] }] }, 'a.0.numeric: numeric needs operator/number pairs'],
    ['a bad cidr', { a: [{ cidr: '10.0.0/33' }] }, 'a.0.cidr: cidr "10.0.0/33" is not an IPv4 or IPv6 CIDR block'],
    ['consecutive wildcards', { a: [{ wildcard: 'a**b' }] }, 'a.0.wildcard: wildcard "a**b": consecutive wildcard characters (**) are not allowed'],
    ['exists not boolean', { a: [{ exists: 'yes' }] }, 'a.0.exists: exists needs true or false'],
    ['$or with one branch', { $or: [{ a: [1] }] }, '$or: $or needs a list of at least two patterns'],
    ['not a mapping', ['x'], '(root): a pattern must be a mapping'],
    // Found by the fuzzer: names that exist on Object.prototype must not be taken for operators.
    ['an operator named constructor', { a: [{ constructor: 1 }] }, 'a.0.constructor: unknown operator \'constructor\''],
    ['a numeric operator named toString', { a: [{ numeric: ['toString', 1] }] }, 'a.0.numeric: numeric needs operator/number pairs'],
  ])('%s', (_name, pattern, message) => {
    const err = (() => {
      try {
        matchesPattern(pattern, {})
      } catch (e) {
        return e
      }
      return undefined
    })()
    expect(err).toBeInstanceOf(PatternError)
    expect((err as Error).message).toContain(message)
  })
})

describe('explain: the first field that failed', () => {
  it('names the field, what was expected and what the event had', () => {
    const node = compilePattern({ source: ['aws.ec2'], detail: { state: ['stopped'] } }, [], { lists: {}, extensions: new Set(), problems: [] })!
    expect(explainNode(node, ec2)).toEqual({ field: 'detail.state', expected: ['stopped'], actual: 'running' })
    expect(explainNode(node, { ...ec2, detail: { ...ec2.detail, state: 'stopped' } })).toBeUndefined()
  })
})
