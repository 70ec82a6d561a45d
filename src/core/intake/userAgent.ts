import { memoize } from '../memoize.js'
import type { Via } from './types.js'

/**
 * Console user agents seen in CloudTrail, and where each comes from. CloudTrail's record-contents reference
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html)
 * names `signin.amazonaws.com` (IAM user in the console) and `console.amazonaws.com` (root user in the
 * console); newer consoles send the browser's own agent. The others are in real records of
 * test/fixtures/corpus (file names in the comments).
 */
export const CONSOLE_EXACT: ReadonlySet<string> = new Set([
  'console.amazonaws.com', // ecs__CreateCluster__AssumedRole_console_mfaFalse__awsdocs
  'signin.amazonaws.com', // other__signin_ConsoleLogin__*
  'AWSConsole', // other__iam_AddUserToGroup__S3LogFile_AWSConsole_userAgent__awsdocs
])

/** Prefixes or fragments that only a console (or its back end) sends. */
export const CONSOLE_PATTERNS: readonly RegExp[] = [
  /^Mozilla\//, // browsers: the console calls APIs from the page (envelope__glue_PutResourcePolicy__IAMUser_console_userAgent)
  /^console\.[a-z0-9-]+\.amazonaws\.com$/, // service-specific consoles, e.g. console.ec2.amazonaws.com
  /^\[?S3Console\//, // [S3Console/0.4] (envelope__s3_CreateBucket__Root_S3Console)
  /^EC2ConsoleBackend\b/, // other__ec2_CreateKeyPair__S3LogFile_EC2ConsoleBackend
  /^AWS-Console-/,
]

/** Infrastructure-as-code tools, checked before the CLI/SDK because they embed an SDK's agent too. */
export const TOOL_PATTERNS: ReadonlyArray<[RegExp, Via]> = [
  [/Terraform\/|terraform-provider-aws|HashiCorp\//i, 'terraform'], // APN/1.0 HashiCorp/1.0 Terraform/1.4.7 … (sekoia record)
  [/\bpulumi\b/i, 'pulumi'],
  [/\baws-cdk\//i, 'cdk'], // cdk deploy --hotswap calls services directly with aws-cdk/2.x
  [/^cloudformation\.amazonaws\.com$|\bCloudFormation\b/, 'cloudformation'],
]

export const CLI_PATTERNS: readonly RegExp[] = [/^\[?aws-cli\//, /^ec2-api-tools\b/, /^AWSPowerShell\b|\baws-powershell\b/i]
// The SDK's name is bounded ({1,40}): with `+`, each of the many "aws-sdk-" in a hostile agent scanned to its end,
// quadratic (1.7 s for 100 KB of "aws-sdk-aws-sdk-…", measured here); the longest real name, go-v2, is 5 characters.
export const SDK_PATTERNS: readonly RegExp[] = [/\baws-sdk-[a-z0-9-]{1,40}\//i, /\bBoto3\//, /\bbotocore\//, /\baws-sdk-java\b/]
export const SERVICE_AGENT = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/

/** The memos' budget: user agents repeat (one tool, many calls); an agent over 1 KB is answered but not kept. */
const MEMO = { maxBytes: 512 * 1024, maxKeyLength: 1024 }

export const isConsoleUserAgent = memoize((userAgent: string): boolean => CONSOLE_EXACT.has(userAgent) || CONSOLE_PATTERNS.some((p) => p.test(userAgent)), MEMO)

/** How the call was made, judged from the user agent alone (the caller adds session facts). */
export function viaFromUserAgent(userAgent: string | undefined): Via {
  return userAgent ? classify(userAgent) : 'unknown'
}

const classify = memoize((userAgent: string): Via => {
  if (isConsoleUserAgent(userAgent)) return 'console'
  for (const [pattern, via] of TOOL_PATTERNS) if (pattern.test(userAgent)) return via
  if (CLI_PATTERNS.some((p) => p.test(userAgent))) return 'cli'
  if (SDK_PATTERNS.some((p) => p.test(userAgent))) return 'sdk'
  if (SERVICE_AGENT.test(userAgent)) return 'service'
  return 'unknown'
}, MEMO)

/** Bytes the user-agent memos hold (tests check the bound). */
export const userAgentCacheBytes = (): number => isConsoleUserAgent.retainedBytes + classify.retainedBytes
