import { parseArn } from './arn.js'
import type { CloudTrailRecord, EcsContext } from './types.js'
import { asObject as obj, nonEmptyString as str } from '../json.js'

/**
 * ECS calls that act on a cluster and assume the cluster named "default" when the request names none
 * (the ECS API reference says so for each of these: "If you do not specify a cluster, the default cluster is assumed.").
 */
export const DEFAULT_CLUSTER_CALLS: ReadonlySet<string> = new Set([
  'CreateService',
  'UpdateService',
  'DeleteService',
  'DescribeServices',
  'ListServices',
  'RunTask',
  'StartTask',
  'StopTask',
  'ExecuteCommand',
  'DescribeTasks',
  'ListTasks',
  'CreateTaskSet',
  'UpdateTaskSet',
  'DeleteTaskSet',
  'DescribeTaskSets',
  'UpdateServicePrimaryTaskSet',
  'UpdateContainerInstancesState',
  'DescribeContainerInstances',
  'ListContainerInstances',
  'DeregisterContainerInstance',
  'RegisterContainerInstance',
  'UpdateContainerAgent',
  'GetTaskProtection',
  'UpdateTaskProtection',
])

/** The last path segment of an ECS ARN's resource (cluster/NAME → NAME), or the value itself when it is a name. */
function ecsName(value: unknown, kind: string): string | undefined {
  const s = str(value)
  if (!s) return undefined
  const arn = parseArn(s)
  if (!arn) return s
  const [type, ...rest] = arn.resource.split('/')
  return type === kind && rest.length > 0 ? rest[rest.length - 1] : undefined
}

/** service/CLUSTER/NAME (current ARN format) or task/CLUSTER/ID → CLUSTER. */
function clusterOfArn(value: unknown): string | undefined {
  const arn = parseArn(value)
  if (!arn) return undefined
  const parts = arn.resource.split('/')
  return parts.length >= 3 && (parts[0] === 'service' || parts[0] === 'task' || parts[0] === 'container-instance')
    ? parts[1]
    : undefined
}

/** task-definition/family:rev → family:rev; a bare family or family:rev stays as it is. */
function taskDefinitionName(value: unknown): string | undefined {
  const s = str(value)
  if (!s) return undefined
  const arn = parseArn(s)
  if (!arn) return s
  return arn.resource.startsWith('task-definition/') ? arn.resource.slice('task-definition/'.length) : undefined
}

/** Cluster, service, task definition, container and task named by an ECS call, as names not ARNs. */
export function ecsResources(record: CloudTrailRecord): EcsContext {
  const req = obj(record.requestParameters) ?? {}
  const res = obj(record.responseElements) ?? {}
  const resService = obj(res.service)
  const resCluster = obj(res.cluster)
  const resTaskDef = obj(res.taskDefinition)
  const ecs: EcsContext = {}

  const cluster =
    ecsName(req.cluster, 'cluster')
    ?? str(req.clusterName)
    ?? str(resCluster?.clusterName)
    ?? ecsName(resService?.clusterArn, 'cluster')
    ?? ecsName(res.clusterArn, 'cluster')
    ?? clusterOfArn(req.service)
    ?? clusterOfArn(req.task)
    ?? (record.eventSource === 'ecs.amazonaws.com' && DEFAULT_CLUSTER_CALLS.has(record.eventName) ? 'default' : undefined)
  if (cluster) ecs.cluster = cluster

  const service = ecsName(req.service, 'service') ?? str(req.serviceName) ?? str(resService?.serviceName)
  if (service) ecs.service = service

  const family = str(resTaskDef?.family)
  const revision = resTaskDef?.revision
  const registered = family && (typeof revision === 'number' || typeof revision === 'string') ? `${family}:${String(revision)}` : family
  const taskDefinition =
    registered
    ?? taskDefinitionName(resService?.taskDefinition)
    ?? taskDefinitionName(req.taskDefinition)
    ?? str(req.family)
  if (taskDefinition) ecs.taskDefinition = taskDefinition

  const containers = Array.isArray(req.containerDefinitions)
    ? req.containerDefinitions.map((c) => str(obj(c)?.name)).filter((n): n is string => n !== undefined)
    : []
  const container = str(req.container) ?? str(res.containerName) ?? (containers.length > 0 ? containers : undefined)
  if (container) ecs.container = container

  const task = ecsName(req.task, 'task') ?? ecsName(res.taskArn, 'task')
  if (task) ecs.task = task
  return ecs
}
