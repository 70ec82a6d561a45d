/** The parts of an ARN: arn:partition:service:region:account:resource. */
export interface Arn {
  partition: string
  service: string
  region: string
  account: string
  resource: string
}

export function parseArn(value: unknown): Arn | undefined {
  if (typeof value !== 'string' || !value.startsWith('arn:')) return undefined
  const parts = value.split(':')
  if (parts.length < 6) return undefined
  return {
    partition: parts[1]!,
    service: parts[2]!,
    region: parts[3]!,
    account: parts[4]!,
    resource: parts.slice(5).join(':'),
  }
}
