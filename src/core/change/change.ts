/**
 * What an ECS call changed, from → to, as rules match it (`change.*`, rules/README.md) and alerts show it. Derived by
 * deriveChange from the record and, when the record does not hold both sides, the previous state the edge found.
 * Environment variable values never appear here: only names (and, in snapshots, a digest of each value).
 */

/**
 * One field, from → to. `known: false` means the previous value is unknown (no snapshot, no answer from ECS): `from`
 * is then absent and `changed` is not said — never guessed. With `known: true`, an absent `from` means the field was
 * not set before (or the resource did not exist).
 */
export interface FieldChange<T> {
  from?: T
  to?: T
  known: boolean
  changed?: boolean
}

/** desiredCount also carries `ratio` (to ÷ from, when from > 0), so a rule can say "cut by more than half". */
export interface CountChange extends FieldChange<number> {
  ratio?: number
}

/** Names added and removed (environment variables, secrets, capabilities, mounts, subnets). */
export interface SetChange {
  added: string[]
  removed: string[]
  /** Environment variables whose value differs (compared by digest; the values are never kept). */
  changed?: string[]
}

/** An image reference split the way an on-call reads it. */
export interface ImageChange extends FieldChange<string> {
  tag?: FieldChange<string>
  digest?: FieldChange<string>
  /** The registry host of `to` (docker.io for a bare Docker Hub name). */
  registry?: string
}

/** One container of a task definition (or a RunTask override), compared with the same-named container before. */
export interface ContainerChange {
  name: string
  /** added: no container of that name before; removed: gone in the new revision; changed / same. */
  status: 'added' | 'removed' | 'changed' | 'same' | 'unknown'
  image?: ImageChange
  env?: SetChange
  secrets?: SetChange
  privileged?: FieldChange<boolean>
  capabilities?: SetChange
  mounts?: SetChange
  user?: FieldChange<string>
  cpu?: FieldChange<number>
  memory?: FieldChange<number>
  command?: FieldChange<string>
}

/** Where the "from" side came from. */
export type PreviousSource = 'event' | 'snapshot' | 'ecs' | 'none' | 'unknown' | 'unavailable'

export type ChangeKind = 'service' | 'taskDefinition' | 'task'

export interface Change {
  kind: ChangeKind
  /** What the call did to the resource. */
  action: 'create' | 'update' | 'delete' | 'register' | 'run'
  /** Which resource: cluster/service, family:revision, or the task definition a RunTask overrides. */
  resource: string
  previous: PreviousSource
  /** "previous state unavailable: <reason>" when a lookup failed, was denied or timed out (the alert says so). */
  unavailable?: string
  /** The event had fields CloudTrail dropped as too long (`"omitted": true`): what they held is unknown. */
  omitted?: string[]

  // services
  taskDefinition?: FieldChange<string> & { revision?: FieldChange<number> }
  desiredCount?: CountChange
  launchType?: FieldChange<string>
  capacityProviderStrategy?: FieldChange<string>
  assignPublicIp?: FieldChange<string>
  subnets?: SetChange & { known: boolean }
  securityGroups?: SetChange & { known: boolean }
  enableExecuteCommand?: FieldChange<boolean>
  deployment?: FieldChange<string>
  primaryTaskSet?: FieldChange<string>

  // task definitions (and RunTask overrides)
  revision?: FieldChange<number>
  containers?: ContainerChange[]
  taskRoleArn?: FieldChange<string>
  executionRoleArn?: FieldChange<string>
  networkMode?: FieldChange<string>
  pidMode?: FieldChange<string>
  cpu?: FieldChange<string>
  memory?: FieldChange<string>
  volumes?: SetChange

  /**
   * What the change adds, flattened across containers for rules: `change.added.privileged: [true]` matches when a
   * container that was not privileged (or did not exist) now is. Only from a known previous state.
   */
  added?: AddedSummary
  removed?: { env: string[], secrets: string[] }
}

export interface AddedSummary {
  privileged?: boolean
  capabilities?: string[]
  /** Host paths newly mounted (volumes with host.sourcePath, new in this revision). */
  hostMounts?: string[]
  env?: string[]
  secrets?: string[]
  /** Images this revision runs that the previous one did not. */
  images?: string[]
  /** Those of them not in the recipient account's own ECR (what a trusted-registry rule judges). */
  externalImages?: string[]
  /** Registries of those images. */
  registries?: string[]
  taskRole?: boolean
}

/** The last state seen of a service (a snapshot: what the store keeps and ECS's service revisions describe). */
export interface ServiceState {
  taskDefinition?: string
  desiredCount?: number
  launchType?: string
  capacityProviderStrategy?: string
  assignPublicIp?: string
  subnets?: string[]
  securityGroups?: string[]
  enableExecuteCommand?: boolean
  deployment?: string
  primaryTaskSet?: string
}

/** One container of a task definition as kept: environment values only as digests. */
export interface ContainerState {
  image?: string
  /** name → digest of the value (sha256, 16 hex characters). */
  env: Record<string, string>
  secrets: string[]
  privileged: boolean
  capabilities: string[]
  /** `sourceVolume:containerPath`. */
  mounts: string[]
  user?: string
  cpu?: number
  memory?: number
  command?: string
}

export interface TaskDefinitionState {
  family?: string
  revision?: number
  taskRoleArn?: string
  executionRoleArn?: string
  networkMode?: string
  pidMode?: string
  cpu?: string
  memory?: string
  /** volume name → host source path ('' for a volume that is not a host mount). */
  volumes: Record<string, string>
  containers: Record<string, ContainerState>
}

/** The previous state an edge found for an event, or why there is none. */
export type PreviousState =
  | { kind: 'service', source: 'snapshot' | 'ecs', state: ServiceState }
  | { kind: 'taskDefinition', source: 'snapshot' | 'ecs', state: TaskDefinitionState }
  | { kind: 'none' }
  | { kind: 'unavailable', reason: string }
