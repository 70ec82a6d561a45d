import { loadRules } from '../../src/config/loadRules.js'
import type { Alert } from '../../src/core/alerts/alert.js'
import { buildAlert } from '../../src/core/alerts/buildAlert.js'
import { readEvents } from '../../src/core/intake/readEvents.js'
import { evaluate } from '../../src/core/rules/engine/evaluate.js'
import { fixtureText } from './fixtures.js'

const bundle = loadRules({ rulesDir: 'rules', configPath: 'trailwarden.example.yaml' })

/** The alerts the bundled rules raise for a fixture (with the example config), in rule order. */
export async function alertsFor(fixture: string, body?: string): Promise<Alert[]> {
  const { ruleSet, settings, config } = await bundle
  const text = body ?? fixtureText(fixture)
  const { events } = readEvents(text, settings)
  return events.flatMap((e) => evaluate(ruleSet, e, Date.parse('2026-11-22T12:00:00Z')).matched.map((m) => buildAlert(m, e, config.accounts)))
}

export async function alertFor(fixture: string, ruleId: string, body?: string): Promise<Alert> {
  const alert = (await alertsFor(fixture, body)).find((a) => a.ruleId === ruleId)
  if (!alert) throw new Error(`${fixture} raises no ${ruleId} alert`)
  return alert
}
