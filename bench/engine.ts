import { readFileSync } from 'node:fs'
import { Engine } from 'json-rules-engine'
import { loadRules } from '../src/config/loadRules.js'
import { normalise } from '../src/core/intake/normalise.js'
import { parseBody } from '../src/core/intake/parseBody.js'
import { readEvents } from '../src/core/intake/readEvents.js'
import { compileRuleSet } from '../src/core/rules/engine/compileRuleSet.js'
import { evaluate } from '../src/core/rules/engine/evaluate.js'
import { envelopes, generatedRuleSet } from './corpus.js'
import { fmt, nsPerOp, nsPerOpAsync, stat } from './measure.js'

const ROUNDS = 7

/** P1: read + normalise + evaluate per event, over JSON.parse of the same body; P2: against json-rules-engine. */
export async function engineBenchmarks(): Promise<string[][]> {
  const bundle = await loadRules({ rulesDir: 'rules', configPath: 'trailwarden.example.yaml' })
  const bodies = envelopes()
  const thousand = generatedRuleSet(1000, bundle.config.lists as Record<string, string[]>)
  const now = Date.now()
  const pipeline = (set: typeof bundle.ruleSet) => () => {
    for (const body of bodies) for (const e of readEvents(body, bundle.settings).events) evaluate(set, e, now)
  }
  const parseOnly = () => {
    for (const body of bodies) JSON.parse(body)
  }
  // Where the time goes, per event: the parse, the rest of reading, normalising, evaluating.
  const records = bodies.map((b) => parseBody(b).records[0]!)
  const normalised = records.map((r) => normalise(r, bundle.settings))
  const phases = { parse: [] as number[], read: [] as number[], normalise: [] as number[], evaluate: [] as number[], evaluate1k: [] as number[] }
  const r1: number[] = []
  const r1k: number[] = []
  const added: number[] = []
  const added1k: number[] = []
  const abs: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const base = nsPerOp(parseOnly, 2000)
    const bundled = nsPerOp(pipeline(bundle.ruleSet), 2000)
    const big = nsPerOp(pipeline(thousand), 1000)
    r1.push(bundled / base)
    r1k.push(big / base)
    // What trailwarden adds on top of the parse any consumer must do.
    added.push((bundled - base) / base)
    added1k.push((big - base) / base)
    abs.push(bundled / bodies.length / 1000)
    const perEvent = (ns: number) => ns / bodies.length / 1000
    phases.parse.push(perEvent(base))
    phases.read.push(perEvent(nsPerOp(() => { for (const b of bodies) parseBody(b) }, 2000)))
    phases.normalise.push(perEvent(nsPerOp(() => { for (const r of records) normalise(r, bundle.settings) }, 2000)))
    phases.evaluate.push(perEvent(nsPerOp(() => { for (const e of normalised) evaluate(bundle.ruleSet, e, now) }, 2000)))
    phases.evaluate1k.push(perEvent(nsPerOp(() => { for (const e of normalised) evaluate(thousand, e, now) }, 1000)))
  }
  const µs = (xs: number[]) => stat(xs).median.toFixed(1)

  // P2: the same decisions for five bundled rules, in json-rules-engine and in trailwarden, on the same events.
  const five = ['ecs-console-change-in-prod', 'ecs-exec-session', 'ecs-privileged-container', 'ecs-root-activity', 'ecs-cluster-deleted']
  const subsetSources = five.map((id) => bundle.ruleSet.rules.find((r) => r.id === id)!).map((r) => ({ file: r.file, text: readFileSync(r.file, 'utf8') }))
  const { ruleSet: subset } = compileRuleSet(subsetSources, { lists: bundle.config.lists })
  const engine = new Engine([], { allowUndefinedFacts: true })
  const fact = (path: string) => ({ fact: 'e', path: `$.${path}` })
  engine.addRule({ name: five[0]!, conditions: { all: [{ ...fact('eventSource'), operator: 'equal', value: 'ecs.amazonaws.com' }, { ...fact('mutating'), operator: 'equal', value: true }, { ...fact('errorCode'), operator: 'equal', value: undefined }, { ...fact('actor.console'), operator: 'equal', value: true }, { ...fact('env'), operator: 'equal', value: 'prod' }] }, event: { type: five[0]! } })
  engine.addRule({ name: five[1]!, conditions: { all: [{ ...fact('eventSource'), operator: 'equal', value: 'ecs.amazonaws.com' }, { ...fact('eventName'), operator: 'equal', value: 'ExecuteCommand' }, { ...fact('errorCode'), operator: 'equal', value: undefined }] }, event: { type: five[1]! } })
  engine.addRule({ name: five[2]!, conditions: { all: [{ ...fact('eventName'), operator: 'equal', value: 'RegisterTaskDefinition' }, { ...fact('requestParameters.containerDefinitions[*].privileged'), operator: 'contains', value: true }] }, event: { type: five[2]! } })
  engine.addRule({ name: five[3]!, conditions: { all: [{ ...fact('eventSource'), operator: 'equal', value: 'ecs.amazonaws.com' }, { ...fact('actor.type'), operator: 'equal', value: 'Root' }, { ...fact('mutating'), operator: 'equal', value: true }, { ...fact('errorCode'), operator: 'equal', value: undefined }] }, event: { type: five[3]! } })
  engine.addRule({ name: five[4]!, conditions: { all: [{ ...fact('eventName'), operator: 'equal', value: 'DeleteCluster' }, { ...fact('errorCode'), operator: 'equal', value: undefined }] }, event: { type: five[4]! } })
  const events = bodies.flatMap((b) => readEvents(b, bundle.settings).events)
  // The same decisions: both engines must agree on every event before their speed means anything.
  for (const e of events) {
    const ours = evaluate(subset!, e, now).matched.map((m) => m.rule.id).sort()
    const theirs = (await engine.run({ e: e.subject })).events.map((x) => x.type).sort()
    if (JSON.stringify(ours) !== JSON.stringify(theirs)) throw new Error(`P2: engines disagree on ${e.record.eventName}: ${ours.join(',')} vs ${theirs.join(',')}`)
  }
  const r2: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const jre = await nsPerOpAsync(async () => { for (const e of events) await engine.run({ e: e.subject }) }, 100)
    const tw = nsPerOp(() => { for (const e of events) evaluate(subset!, e, now) }, 20_000)
    r2.push(jre / tw)
  }
  return [
    ['P1', 'read + normalise + evaluate ÷ JSON.parse alone, bundled 25 rules', fmt(stat(r1)), '≤ 0.25', `${stat(abs).median.toFixed(2)} µs per event absolute; the part added to the parse: ${fmt(stat(added))} × JSON.parse`],
    ['P1', 'the same with 1,000 generated rules', fmt(stat(r1k)), '≤ 1.0', `the part added to the parse: ${fmt(stat(added1k))} × JSON.parse`],
    ['P1', 'where the time goes, µs per event (medians, each part timed alone)', `JSON.parse ${µs(phases.parse)}`, '', `reading (JSON.parse with the shape, depth and field checks) ${µs(phases.read)}; normalise ${µs(phases.normalise)}; evaluate 25 rules ${µs(phases.evaluate)}, 1,000 rules ${µs(phases.evaluate1k)}`],
    ['P2', 'json-rules-engine time ÷ trailwarden time, same 5 rules, same decisions', `${fmt(stat(r2), 0)}×`, '≥ 20×', `${events.length} events, decisions checked equal first`],
  ]
}
