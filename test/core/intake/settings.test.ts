import { describe, expect, it } from 'vitest'
import { readEvents } from '../../../src/core/intake/readEvents.js'
import { compileNormaliseSettings, MAX_ARN, MAX_CLUSTER_NAME } from '../../../src/core/intake/settings.js'
import { fixtureJson } from '../../support/fixtures.js'
import { setAt } from '../../support/mutateJson.js'

const settings = compileNormaliseSettings({
  environments: [{ name: 'prod', accounts: ['111122223333'], clusters: ['prod-*', '*-*-*-prod'] }],
  mfaEnforcedUpstream: ['arn:aws:sts::*:assumed-role/AWSReservedSSO_*/*'],
})
const sso = fixtureJson('rules/ecs/fixtures/BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json')

describe('normalise settings: globs and their memo against hostile values (issue 16)', () => {
  it('matches real names as before', () => {
    expect(settings.environmentOf('111122223333', 'prod-web', 'eu-west-1')).toBe('prod')
    expect(settings.environmentOf('111122223333', 'a-b-c-prod', undefined)).toBe('prod')
    expect(settings.mfaEnforcedUpstream('arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123/alice@example.com')).toBe(true)
  })

  it('tries no glob on a value longer than AWS allows (a many-star glob backtracks: 3.4 s on 3,000 dashes)', () => {
    expect(settings.environmentOf('111122223333', '-'.repeat(MAX_CLUSTER_NAME), undefined)).toBeUndefined()
    expect(settings.environmentOf('111122223333', '-'.repeat(1_000_000), undefined)).toBeUndefined()
    expect(settings.environmentOf('111122223333', `prod-${'x'.repeat(MAX_CLUSTER_NAME)}`, undefined)).toBeUndefined()
    expect(settings.mfaEnforcedUpstream(`arn:aws:sts::1:assumed-role/AWSReservedSSO_${'x'.repeat(MAX_ARN)}/a`)).toBe(false)
  })

  it('keeps the principal memo bounded in bytes: 300 events whose ARNs are 100 KB, then 20,000 distinct real-sized ones', () => {
    for (let i = 0; i < 300; i++) {
      const arn = `arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin/${String(i)}${'a'.repeat(100_000)}`
      readEvents(JSON.stringify(setAt(sso, ['userIdentity', 'arn'], arn)), settings)
    }
    expect(settings.retainedBytes()).toBeLessThanOrEqual(512 * 1024)
    for (let i = 0; i < 20_000; i++) settings.mfaEnforcedUpstream(`arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/user-${i}@example.com`)
    expect(settings.retainedBytes()).toBeGreaterThan(256 * 1024)
    expect(settings.retainedBytes()).toBeLessThanOrEqual(512 * 1024)
  })
})
