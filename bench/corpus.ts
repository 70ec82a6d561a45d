import { readdirSync, readFileSync } from 'node:fs'
import { compileRuleSet } from '../src/core/rules/engine/compileRuleSet.js'

/** Real-shaped bodies: every ECS fixture record inside an EventBridge envelope, as SQS delivers them. */
export function envelopes(): string[] {
  const dir = 'rules/ecs/fixtures/'
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(dir + f, 'utf8')) as Record<string, unknown>)
    .map((detail) => JSON.stringify({ 'version': '0', 'id': 'bench', 'detail-type': 'AWS API Call via CloudTrail', 'source': 'aws.ecs', 'account': detail.recipientAccountId, 'time': detail.eventTime, 'region': detail.awsRegion, 'resources': [], detail }))
}

/** The ECS API's event names (API reference), for generated rules. */
export const ECS_EVENT_NAMES = [
  'CreateCapacityProvider', 'CreateCluster', 'CreateService', 'CreateTaskSet', 'DeleteAccountSetting', 'DeleteAttributes', 'DeleteCapacityProvider',
  'DeleteCluster', 'DeleteService', 'DeleteTaskDefinitions', 'DeleteTaskSet', 'DeregisterContainerInstance', 'DeregisterTaskDefinition',
  'DescribeCapacityProviders', 'DescribeClusters', 'DescribeContainerInstances', 'DescribeServiceDeployments', 'DescribeServiceRevisions',
  'DescribeServices', 'DescribeTaskDefinition', 'DescribeTaskSets', 'DescribeTasks', 'DiscoverPollEndpoint', 'ExecuteCommand', 'GetTaskProtection',
  'ListAccountSettings', 'ListAttributes', 'ListClusters', 'ListContainerInstances', 'ListServiceDeployments', 'ListServices',
  'ListServicesByNamespace', 'ListTagsForResource', 'ListTaskDefinitionFamilies', 'ListTaskDefinitions', 'ListTasks', 'PutAccountSetting',
  'PutAccountSettingDefault', 'PutAttributes', 'PutClusterCapacityProviders', 'RegisterContainerInstance', 'RegisterTaskDefinition', 'RunTask',
  'StartTask', 'StopServiceDeployment', 'StopTask', 'SubmitAttachmentStateChanges', 'SubmitContainerStateChange', 'SubmitTaskStateChange',
  'TagResource', 'UntagResource', 'UpdateCapacityProvider', 'UpdateCluster', 'UpdateClusterSettings', 'UpdateContainerAgent',
  'UpdateContainerInstancesState', 'UpdateService', 'UpdateServicePrimaryTaskSet', 'UpdateTaskProtection', 'UpdateTaskSet',
]

/** n generated rules: 1–3 event names each, and one or two of the conditions real rules use. Deterministic. */
export function generatedRuleSet(n: number, lists: Record<string, string[]>) {
  let seed = 42
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!
  const conditions = [
    '  actor.console: [true]', '  env: [prod]', '  errorCode: [{ exists: false }]', '  actor.mfa: [false]', '  userAgent: [{ prefix: aws-cli/ }]',
    '  requestParameters.desiredCount: [{ numeric: ["<", 1] }]', '  actor.role: [{ wildcard: "*Admin*" }]', '  sourceIPAddress: [{ cidr: 10.0.0.0/8 }]',
    '  requestParameters.containerDefinitions.image: [{ anything-but: { prefix: { list: trusted_registries } } }]',
  ]
  const sources = Array.from({ length: n }, (_, i) => {
    const names = [...new Set([pick(ECS_EVENT_NAMES), pick(ECS_EVENT_NAMES), pick(ECS_EVENT_NAMES)].slice(0, 1 + Math.floor(rnd() * 3)))]
    const conds = [...new Set([pick(conditions), pick(conditions)].slice(0, 1 + Math.floor(rnd() * 2)))]
    const text = `id: gen-${i}\ntitle: generated ${i}\nseverity: low\ndescription: generated\nmatch:\n  eventSource: [ecs.amazonaws.com]\n  eventName: [${names.join(', ')}]\n${conds.join('\n')}\n`
    return { file: `gen/gen-${i}.yaml`, text }
  })
  const { ruleSet, problems } = compileRuleSet(sources, { lists })
  if (!ruleSet) throw new Error(`generated rules do not compile: ${JSON.stringify(problems.slice(0, 3))}`)
  return ruleSet
}
