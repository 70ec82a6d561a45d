/** The parts of an ARN: arn:partition:service:region:account:resource. */
export interface Arn {
  partition: string
  service: string
  region: string
  account: string
  resource: string
}

/** Splits at the first five colons with indexOf: the resource may itself hold colons, and this runs several times an event. */
export function parseArn(value: unknown): Arn | undefined {
  if (typeof value !== 'string' || !value.startsWith('arn:')) return undefined
  const c1 = 3
  const c2 = value.indexOf(':', c1 + 1)
  const c3 = c2 < 0 ? -1 : value.indexOf(':', c2 + 1)
  const c4 = c3 < 0 ? -1 : value.indexOf(':', c3 + 1)
  const c5 = c4 < 0 ? -1 : value.indexOf(':', c4 + 1)
  if (c5 < 0) return undefined
  return {
    partition: value.slice(c1 + 1, c2),
    service: value.slice(c2 + 1, c3),
    region: value.slice(c3 + 1, c4),
    account: value.slice(c4 + 1, c5),
    resource: value.slice(c5 + 1),
  }
}
