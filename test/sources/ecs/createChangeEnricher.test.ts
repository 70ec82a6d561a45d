import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEcsClient } from '../../../src/commands/clients.js'
import { loadRules } from '../../../src/config/loadRules.js'
import { taskDefinitionKey } from '../../../src/core/change/changeTarget.js'
import { readEvents } from '../../../src/core/intake/readEvents.js'
import type { NormalisedEvent } from '../../../src/core/intake/types.js'
import { createMetrics } from '../../../src/metrics/createMetrics.js'
import { createChangeEnricher } from '../../../src/sources/ecs/createChangeEnricher.js'
import { createEcsLookup } from '../../../src/sources/ecs/createEcsLookup.js'
import { MemoryStateStore } from '../../../src/state/memoryStateStore.js'
import { StateUnavailable } from '../../../src/state/stateUnavailable.js'
import { counterValue } from '../../support/daemonHarness.js'
import { type EcsDouble, startEcsDouble } from '../../support/ecsDouble.js'
import { fixtureText } from '../../support/fixtures.js'

const bundle = loadRules({ rulesDir: 'rules', configPath: 'trailwarden.example.yaml' })
let ecs: EcsDouble
beforeAll(async () => { ecs = await startEcsDouble() })
afterAll(() => ecs.close())

const event = (name: string): NormalisedEvent => readEvents(fixtureText(`rules/ecs/fixtures/${name}.json`)).events[0]!
const lookup = () => createEcsLookup({ client: createEcsClient('eu-west-1', { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-example' }, ecs.url) })

describe('the change enricher (state store + ECS, failing open)', () => {
  it('no ECS call when the event holds both sides (deployments[] PRIMARY and ACTIVE)', async () => {
    const { ruleSet } = await bundle
    const before = ecs.calls.length
    const e = event('BUILT__ecs__UpdateService__AssumedRole_pipeline_web44_deploymentsPrimaryActive_prod')
    await createChangeEnricher({ store: new MemoryStateStore(), ecs: lookup() })([e], ruleSet)
    expect(e.context.change?.taskDefinition).toMatchObject({ from: 'web:43', to: 'web:44' })
    expect(ecs.calls.length).toBe(before)
  })

  it('nothing to do (no ECS change call in the batch): undefined, so the processor does not wait', async () => {
    const { ruleSet } = await bundle
    expect(createChangeEnricher({ store: new MemoryStateStore() })([event('BUILT__ecs__DeleteCluster__Root_console_mfaTrue')], ruleSet)).toBeUndefined()
  })

  it('a snapshot keeps env names and value digests, never the values', async () => {
    const { ruleSet } = await bundle
    const store = new MemoryStateStore()
    const enrich = createChangeEnricher({ store, now: () => 1_000 })
    const registered = event('BUILT__ecs__RegisterTaskDefinition__AssumedRole_sso_cli_privileged_hostMount_envSecret')
    await enrich([registered], ruleSet)
    const key = taskDefinitionKey(registered.context, 'debug-tools:3')
    const kept = JSON.stringify((await store.get(key, 2_000))?.value)
    expect(kept).toContain('DB_PASSWORD')
    expect(kept).not.toContain('hunter2-prod-db')
    expect(kept).not.toContain('wJalrXUtnFEMI')
  })

  it('the state store failing: previous state unavailable: state store: …, counted, the change still derived', async () => {
    const { ruleSet } = await bundle
    const metrics = createMetrics()
    const failing = new MemoryStateStore()
    failing.get = () => Promise.reject(new StateUnavailable('GetItem on trailwarden-state failed: ProvisionedThroughputExceededException', true))
    const e = event('BUILT__ecs__UpdateService__AssumedRole_sso_console_scaleToZero_prod')
    await createChangeEnricher({ store: failing, metrics })([e], ruleSet)
    expect(e.context.change?.unavailable).toMatch(/^previous state unavailable: state store: /)
    expect(e.context.change?.desiredCount).toEqual({ to: 0, known: false })
    expect(await counterValue(metrics, 'trailwarden_change_previous_unavailable_total', { reason: 'state' })).toBe(1)
  })
})
