import { describe, expect, it } from 'vitest'
import { actorLabel, howLabel } from '../../../src/core/history/actorLabel.js'
import { normalise } from '../../../src/core/intake/normalise.js'
import type { CloudTrailRecord } from '../../../src/core/intake/types.js'
import { fixtureText } from '../../support/fixtures.js'

const actorOf = (name: string) => normalise({ record: JSON.parse(fixtureText(name)) as CloudTrailRecord, shape: 'record' }).context.actor

describe('who and how, from real-shaped records', () => {
  const cases: Array<[string, string, string]> = [
    ['rules/ecs/fixtures/BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json', 'alice@example.com (SSO AdministratorAccess)', 'console'],
    ['rules/ecs/fixtures/BUILT__ecs__CreateService__AssumedRole_pipeline_terraform_staging.json', 'role deploy-pipeline', 'pipeline (terraform)'],
    ['rules/ecs/fixtures/BUILT__ecs__RegisterTaskDefinition__AssumedRole_pipeline_ecrImage_clean.json', 'role deploy-pipeline', 'pipeline (SDK)'],
    ['rules/ecs/fixtures/BUILT__ecs__UpdateService__AssumedRole_cloudformation_invokedBy_prod.json', 'role cfn-exec-role/AWSCloudFormation', 'IaC (cloudformation)'],
    ['rules/ecs/fixtures/BUILT__ecs__UpdateService__AssumedRole_AWSServiceRoleForApplicationAutoScaling_service.json', 'role AWSServiceRoleForApplicationAutoScaling_ECSService/AutoScaling', 'AWS service'],
    ['rules/ecs/fixtures/BUILT__ecs__DeleteService__IAMUser_cli_longTermKey_prod.json', 'bob (IAM user)', 'CLI'],
    ['rules/ecs/fixtures/BUILT__ecs__DeleteCluster__Root_console_mfaTrue.json', 'root', 'console'],
    ['corpus/ecs__PutClusterCapacityProviders__IAMUser_terraform__sekoia.json', 'AAAAAAAAAAAA (IAM user)', 'IaC (terraform)'],
  ]
  it.each(cases)('%s', (file, who, how) => {
    const actor = actorOf(file)
    expect([actorLabel(actor), howLabel(actor)]).toEqual([who, how])
  })

  it('a source identity names the person behind any role session', () => {
    expect(actorLabel({ type: 'AssumedRole', role: 'deploy', session: '123', sourceIdentity: 'dana', console: false, service: false, via: 'cli' })).toBe('dana (role deploy)')
  })
})
