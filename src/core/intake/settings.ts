import picomatch from 'picomatch'
import { memoize } from '../memoize.js'

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
  /** Bytes its caches hold (bounded: see memoize). */
  retainedBytes(): number
}

/**
 * Longest values a glob is tried on: an ECS cluster name is at most 255 characters (CreateCluster, clusterName:
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html) and an IAM ARN at most 2,048
 * (AssumeRole, RoleArn: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html). A longer value names
 * nothing real, so it matches no glob; and a glob with several stars is a backtracking regular expression, slow on
 * a megabyte of dashes (`*-*-*-prod` took 3.4 s on 3,000 characters, measured with picomatch 4 here).
 */
export const MAX_CLUSTER_NAME = 255
export const MAX_ARN = 2048

/** `*` must cross `/` and `:` in ARNs and names, hence picomatch's bash mode. */
export const compileGlob = (globs: string[]): ((value: string) => boolean) =>
  globs.length === 0 ? () => false : picomatch(globs, { bash: true, dot: true })

const upTo = (max: number, test: (value: string) => boolean) => (value: string) => value.length <= max && test(value)

export function compileNormaliseSettings(options: NormaliseOptions = {}): NormaliseSettings {
  const environments = (options.environments ?? []).map((env) => ({
    name: env.name,
    accounts: env.accounts ? new Set(env.accounts) : undefined,
    clusters: env.clusters ? upTo(MAX_CLUSTER_NAME, compileGlob(env.clusters)) : undefined,
    regions: env.regions ? new Set(env.regions) : undefined,
  }))
  // ARNs repeat across events (one principal makes many calls) and a glob costs microseconds.
  const mfa = memoize(upTo(MAX_ARN, compileGlob(options.mfaEnforcedUpstream ?? [])), { maxBytes: 512 * 1024, maxKeyLength: MAX_ARN })
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
    retainedBytes: () => mfa.retainedBytes,
  }
}

export const DEFAULT_SETTINGS: NormaliseSettings = compileNormaliseSettings()
