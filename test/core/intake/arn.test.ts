import { describe, expect, it } from 'vitest'
import { parseArn } from '../../../src/core/intake/arn.js'

describe('parseArn', () => {
  it.each([
    ['arn:aws:iam::111122223333:user/alice', { partition: 'aws', service: 'iam', region: '', account: '111122223333', resource: 'user/alice' }],
    ['arn:aws:sts::111122223333:assumed-role/Admin/alice@example.com', { service: 'sts', resource: 'assumed-role/Admin/alice@example.com' }],
    ['arn:aws-cn:ecs:cn-north-1:111122223333:task/prod/0123', { partition: 'aws-cn', region: 'cn-north-1', resource: 'task/prod/0123' }],
    ['arn:aws:s3:::bucket', { service: 's3', account: '', resource: 'bucket' }],
    ['arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/web:*', { resource: 'log-group:/ecs/web:*' }],
    ['arn:aws:ecs:eu-west-1:111122223333:', { resource: '' }],
  ])('%s', (text, parts) => {
    expect(parseArn(text)).toMatchObject(parts)
  })

  it.each([['arn:aws:iam::111122223333'], ['arn:'], ['user/alice'], [''], [42], [undefined]])('%j is not an ARN', (value) => {
    expect(parseArn(value)).toBeUndefined()
  })
})
