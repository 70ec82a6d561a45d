import picomatch from 'picomatch'

/** An environment as the config names it; every criterion given must hold (a missing one holds always). */
export interface EnvironmentSpec {
  name: string
  /** Recipient account ids. */
  accounts?: string[]
  /** Cluster-name globs, e.g. "prod-*". */
  clusters?: string[]
  regions?: string[]
}

export interface NormaliseOptions {
  environments?: EnvironmentSpec[]
  /**
   * ARN globs of principals whose MFA is enforced before AWS sees them (an identity provider behind
   * IAM Identity Center, say): their sessions report mfaAuthenticated "false" even so.
   */
  mfaEnforcedUpstream?: string[]
}

/** Normalisation options with their globs compiled once. */
export interface NormaliseSettings {
  environmentOf(account: string | undefined, cluster: string | undefined, region: string | undefined): string | undefined
  mfaEnforcedUpstream(arn: string): boolean
}

/** `*` must cross `/` and `:` in ARNs and names, hence picomatch's bash mode. */
export const compileGlob = (globs: string[]): ((value: string) => boolean) =>
  globs.length === 0 ? () => false : picomatch(globs, { bash: true, dot: true })

export function compileNormaliseSettings(options: NormaliseOptions = {}): NormaliseSettings {
  const environments = (options.environments ?? []).map((env) => ({
    name: env.name,
    accounts: env.accounts ? new Set(env.accounts) : undefined,
    clusters: env.clusters ? compileGlob(env.clusters) : undefined,
    regions: env.regions ? new Set(env.regions) : undefined,
  }))
  const mfa = memoize(compileGlob(options.mfaEnforcedUpstream ?? []))
  return {
    environmentOf(account, cluster, region) {
      for (const env of environments) {
        if (env.accounts && (account === undefined || !env.accounts.has(account))) continue
        if (env.clusters && (cluster === undefined || !env.clusters(cluster))) continue
        if (env.regions && (region === undefined || !env.regions.has(region))) continue
        return env.name
      }
      return undefined
    },
    mfaEnforcedUpstream: mfa,
  }
}

export const DEFAULT_SETTINGS: NormaliseSettings = compileNormaliseSettings()

/**
 * Remember a string predicate's answers: principals and user agents repeat across events, and a glob or a row of
 * regular expressions costs microseconds each time (measured in npm run bench, P1). Bounded: cleared when full.
 */
export function memoize<T>(fn: (key: string) => T, max = 10_000): (key: string) => T {
  const cache = new Map<string, T>()
  return (key) => {
    const hit = cache.get(key)
    if (hit !== undefined || cache.has(key)) return hit as T
    const value = fn(key)
    if (cache.size >= max) cache.clear()
    cache.set(key, value)
    return value
  }
}
