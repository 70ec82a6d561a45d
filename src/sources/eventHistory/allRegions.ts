/**
 * What `--region all` reads: the commercial regions every account has enabled, those introduced before 20 March 2019
 * (AWS Account Management Reference Guide, "Enable or disable AWS Regions in your account": regions introduced after
 * that date are disabled by default and must be opted in). Listing the regions an account has actually enabled needs
 * ec2:DescribeRegions or account:ListRegions — another client and another permission — so opt-in regions (af-south-1,
 * ap-east-1, eu-south-1, me-south-1, …) are named explicitly: `--region all,me-south-1`.
 */
export const DEFAULT_ENABLED_REGIONS: readonly string[] = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'ca-central-1', 'sa-east-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1',
  'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2',
]

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/

/** `--region a,b` (with `all` for the default-enabled list) → distinct regions, or the first name that is not one. */
export function parseRegions(text: string): { regions: string[] } | { error: string } {
  const out: string[] = []
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s.length > 0)) {
    if (part === 'all') out.push(...DEFAULT_ENABLED_REGIONS)
    else if (REGION.test(part)) out.push(part)
    else return { error: `--region ${part}: not a region name (eu-west-1, us-east-1, …, or all)` }
  }
  if (out.length === 0) return { error: '--region names no region' }
  return { regions: [...new Set(out)] }
}
