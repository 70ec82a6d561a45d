/**
 * Why a rule cannot be run as SQL. A rule is refused, never approximated: the message names the field and the reason,
 * and the rule keeps running in the live engine.
 */
export class SqlRefusal extends Error {
  constructor(readonly field: string, readonly reason: string) {
    super(`${field}: ${reason}`)
    this.name = 'SqlRefusal'
  }
}

export const refuse = (field: string, reason: string): never => {
  throw new SqlRefusal(field, reason)
}
