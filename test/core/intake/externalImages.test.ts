import { describe, expect, it } from 'vitest'
import { externalImages } from '../../../src/core/intake/externalImages.js'
import type { CloudTrailRecord } from '../../../src/core/intake/types.js'

const register = (images: unknown[]) =>
  ({ eventSource: 'ecs.amazonaws.com', eventName: 'RegisterTaskDefinition', requestParameters: { containerDefinitions: images.map((image, i) => ({ name: `c${i}`, image })) } }) as unknown as CloudTrailRecord

describe('externalImages: what an empty trusted_registries still trusts (the account\'s own ECR)', () => {
  it('keeps images outside the recipient account\'s own ECR, in every region and partition', () => {
    expect(externalImages(register([
      '111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1',
      '111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn/web:1',
      '111122223333.dkr.ecr-fips.us-east-1.amazonaws.com/web:1',
      '111122223333.dkr-ecr.eu-west-1.on.aws/web:1',
      '999988887777.dkr.ecr.eu-west-1.amazonaws.com/web:1',
      'nginx:latest',
      'public.ecr.aws/nginx/nginx:1',
      '111122223333.dkr.ecr.eu-west-1.amazonaws.com.evil.example/web:1',
    ]), '111122223333')).toEqual([
      '999988887777.dkr.ecr.eu-west-1.amazonaws.com/web:1',
      'nginx:latest',
      'public.ecr.aws/nginx/nginx:1',
      '111122223333.dkr.ecr.eu-west-1.amazonaws.com.evil.example/web:1',
    ])
  })

  it('is absent when every image is the account\'s own, or the call names none; hostile values are skipped', () => {
    expect(externalImages(register(['111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1']), '111122223333')).toBeUndefined()
    expect(externalImages({ eventSource: 'ecs.amazonaws.com', eventName: 'RunTask' } as unknown as CloudTrailRecord, '111122223333')).toBeUndefined()
    expect(externalImages(register([{ toString: 1 }, null, 5, '']), '111122223333')).toBeUndefined()
  })

  it('with no known account, every image is external', () => {
    expect(externalImages(register(['111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1']), undefined)).toEqual(['111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1'])
  })
})
