// Types of deployedTask.mjs for the TypeScript tests that use it.

export interface ImageCopy {
  src: string
  dest: string
  intoFolder: boolean
}

export interface Image {
  env: Record<string, string>
  workdir: string
  user: string
  entrypoint: string[]
  cmd: string[]
  copies: ImageCopy[]
}

export interface LaidOut {
  /** The folder standing for the image's WORKDIR. */
  root: string
  /** An image path (/app/rules) → its local path. */
  local(path: string): string
}

export interface CfnTemplate {
  Parameters?: Record<string, { Type: string, Default?: unknown } & Record<string, unknown>>
  Conditions?: Record<string, unknown>
  Resources: Record<string, { Type: string, Properties: Record<string, unknown> } & Record<string, unknown>>
}

export interface ContainerDefinition {
  Environment?: Array<{ Name: string, Value: string }>
  Secrets?: Array<{ Name: string, ValueFrom: string }>
  EntryPoint?: string[]
  Command?: string[]
  User?: string
  ReadonlyRootFilesystem?: boolean
  HealthCheck?: { Command: string[] }
  [key: string]: unknown
}

export interface ContainerProcess {
  argv: string[]
  env: Record<string, string>
  cwd: string
  uid?: number
  gid?: number
  /** The health check's command (after CMD), pointed at the process's PORT. */
  healthCheck?: string[]
  user: string
}

export function readImage(layers: Array<{ dockerfile: string, context: string }>, stageOutputs?: Record<string, string>): Image
export function layOut(image: Image, links?: Record<string, string>): LaidOut
export function resolveIntrinsics(value: unknown, template: CfnTemplate, values: Record<string, string>): unknown
export function taskContainer(template: CfnTemplate, values: Record<string, string>): ContainerDefinition
export function logicalId(template: CfnTemplate, type: string, which?: (resource: { Type: string, Properties: Record<string, unknown> }) => boolean): string
export function containerProcess(
  image: Image,
  container: ContainerDefinition,
  laidOut: LaidOut,
  options?: { secrets?: Record<string, string>, endpoints?: Record<string, string>, asUser?: boolean },
): ContainerProcess
