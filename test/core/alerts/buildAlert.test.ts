import { describe, expect, it } from 'vitest'
import { loadRules } from '../../../src/config/loadRules.js'
import { buildAlert } from '../../../src/core/alerts/buildAlert.js'
import { renderSlack } from '../../../src/core/alerts/renderSlack.js'
import { renderText } from '../../../src/core/alerts/renderText.js'
import { readEvents } from '../../../src/core/intake/readEvents.js'
import type { NormalisedEvent } from '../../../src/core/intake/types.js'
import { fixtureText } from '../../support/fixtures.js'

const F = 'rules/ecs/fixtures/'
const bundle = loadRules({ rulesDir: 'rules', configPath: 'trailwarden.example.yaml' })

async function deniedEvent(arn: string): Promise<NormalisedEvent> {
  const { settings } = await bundle
  const record = JSON.parse(fixtureText(`${F}BUILT__ecs__RunTask__AccessDenied_IAMUser_cli.json`)) as { userIdentity: { arn: string } }
  record.userIdentity.arn = arn
  return readEvents(JSON.stringify(record), settings).events[0]!
}

describe('buildAlert', () => {
  it('the dedup key (dedup.by actor.arn) is redacted, and a long one is bounded yet keeps its identity', async () => {
    const { ruleSet, config } = await bundle
    const rule = ruleSet.rules.find((r) => r.id === 'ecs-access-denied')!
    const build = async (arn: string) => buildAlert({ rule, severity: rule.severity }, await deniedEvent(arn), config.accounts)
    expect((await build('arn:aws:iam::444455556666:user/ci?password=hunter2')).dedup?.key).toBe('arn:aws:iam::444455556666:user/ci?password=‹redacted›')
    const long = 'arn:aws:iam::444455556666:user/'.padEnd(5000, 'x')
    const [a, b] = [(await build(`${long}a`)).dedup!.key, (await build(`${long}b`)).dedup!.key]
    expect(a.length).toBeLessThan(300)
    expect(a).not.toBe(b)
  })

  it('a part that cannot be read is left out and named; the alert is delivered and says so', async () => {
    const { ruleSet, config } = await bundle
    const rule = ruleSet.rules.find((r) => r.id === 'ecs-access-denied')!
    const real = await deniedEvent('arn:aws:iam::444455556666:user/mallory')
    // No JSON value can throw when read; a getter stands for whatever nobody foresaw (here: the subject dedup reads).
    const event = { record: real.record, shape: real.shape, context: real.context, get subject(): never { throw new RangeError('subject unavailable') } }
    const alert = buildAlert({ rule, severity: rule.severity }, event, config.accounts)
    expect(alert.incomplete).toBe('dedup (RangeError: subject unavailable)')
    expect(alert.dedup).toBeUndefined()
    expect(alert.actor.name).toBe('mallory')
    expect(JSON.stringify(renderSlack(alert))).toContain(':warning: trailwarden could not read all of this event; what it could read is below. `dedup (RangeError: subject unavailable)`')
    expect(renderText(alert, ['#security'])).toContain('  note     trailwarden could not read all of this event: dedup (RangeError: subject unavailable)')
  })
})
