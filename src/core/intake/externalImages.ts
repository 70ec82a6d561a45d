import type { CloudTrailRecord } from './types.js'
import { asObject as obj, nonEmptyString as str } from '../json.js'

/**
 * An image in an account's own ECR private registry: `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/…`
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html: "The URL for your default private
 * registry is https://aws_account_id.dkr.ecr.region.amazonaws.com"), or its dual-stack name
 * `<account>.dkr-ecr.<region>.on.aws`.
 */
export const OWN_ECR = /^(\d{12})\.(?:dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?|dkr-ecr\.[a-z0-9-]+\.on\.aws)\//

/** Whether an image is in the given account's own ECR private registry (see OWN_ECR). */
export const inOwnEcr = (image: string, account: string | undefined): boolean => account !== undefined && OWN_ECR.exec(image)?.[1] === account

/**
 * The container images a RegisterTaskDefinition names that are not in the recipient account's own ECR: what a
 * trusted-registry rule has to judge. Undefined when there are none (or the account is unknown: then every image).
 */
export function externalImages(record: CloudTrailRecord, account: string | undefined): string[] | undefined {
  const defs = obj(record.requestParameters)?.containerDefinitions
  if (!Array.isArray(defs)) return undefined
  const images = defs
    .map((c) => str(obj(c)?.image))
    .filter((image): image is string => image !== undefined && OWN_ECR.exec(image)?.[1] !== account)
  return images.length > 0 ? images : undefined
}
