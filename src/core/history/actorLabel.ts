import type { Actor } from '../intake/types.js'

/** IAM Identity Center's roles are named AWSReservedSSO_<permission set>_<hex>: the permission set is the useful part. */
const SSO_ROLE = /^AWSReservedSSO_(.+)_[0-9a-f]{16}$/

/**
 * Whether a role session name names a person: an email address (IAM Identity Center and most identity providers use
 * one), or a source identity. Pipelines and SDKs name sessions with numbers or tool names (1730541000000000000,
 * botocore-session-…, AWSCloudFormation), which say nothing about who.
 */
const looksLikePerson = (session: string): boolean => session.includes('@')

/** Who made the call, for a reader: the person behind a role session where the record says, and through which role. */
export function actorLabel(actor: Actor): string {
  switch (actor.type) {
    case 'AssumedRole': {
      const sso = actor.role ? SSO_ROLE.exec(actor.role)?.[1] : undefined
      const role = sso ? `SSO ${sso}` : `role ${actor.role ?? '?'}`
      const person = actor.sourceIdentity ?? (actor.session && looksLikePerson(actor.session) ? actor.session : undefined)
      if (person) return `${person} (${role})`
      return actor.session && !/^\d+$/.test(actor.session) ? `${role}/${actor.session}` : role
    }
    case 'IAMUser':
      return `${actor.name ?? '?'} (IAM user)`
    case 'Root':
      return 'root'
    default:
      return actor.name ?? actor.arn ?? 'unknown'
  }
}

/**
 * Roles and users that deploy on a schedule or a merge, by the names teams give them. A heuristic: the name is all
 * CloudTrail says about a pipeline (its user agent is the SDK or tool it runs).
 */
const PIPELINE = /pipeline|deploy|github|gitlab|jenkins|circleci|codebuild|codepipeline|buildkite|spinnaker|argocd|(^|[-_])ci([-_]|$)/i

const VIA_WORDS: Record<Actor['via'], string> = {
  console: 'console',
  cli: 'CLI',
  sdk: 'SDK',
  terraform: 'IaC (terraform)',
  cloudformation: 'IaC (cloudformation)',
  cdk: 'IaC (cdk)',
  pulumi: 'IaC (pulumi)',
  service: 'AWS service',
  unknown: 'unknown',
}

/** How the call was made: console, CLI, SDK, IaC (tool), AWS service, or pipeline (and its tool) for a deploy role. */
export function howLabel(actor: Actor): string {
  const via = VIA_WORDS[actor.via]
  const name = actor.role ?? (actor.type === 'IAMUser' ? actor.name : undefined)
  if (!actor.console && !actor.service && name !== undefined && PIPELINE.test(name)) return `pipeline (${via.replace(/^IaC \((.*)\)$/, '$1')})`
  return via
}
