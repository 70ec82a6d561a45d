import { describe, expect, it } from 'vitest'
import { userAgentCacheBytes, viaFromUserAgent } from '../../../src/core/intake/userAgent.js'

// Agents from the records in test/fixtures (corpus and built) and from CloudTrail's record-contents reference.
describe('viaFromUserAgent', () => {
  it.each([
    ['console.amazonaws.com', 'console'],
    ['signin.amazonaws.com', 'console'],
    ['AWSConsole', 'console'],
    ['[S3Console/0.4]', 'console'],
    ['EC2ConsoleBackend, aws-sdk-java/Linux/x.xx.fleetxen Java_HotSpot(TM)_64-Bit_Server_VM/xx', 'console'],
    ['console.ec2.amazonaws.com', 'console'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/110.0.0.0 Safari/537.36', 'console'],
    ['Mozilla/5.0 (Windows NT 6.1; WOW64; rv:24.0) Gecko/20100101 Firefox/24.0', 'console'],
    ['APN/1.0 HashiCorp/1.0 Terraform/1.4.7 (+https://www.terraform.io) terraform-provider-aws/4.59.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go/1.44.221 (go1.19.6; linux; amd64)', 'terraform'],
    ['pulumi-aws/6.0.0 aws-sdk-go-v2/1.24.0', 'pulumi'],
    ['aws-cdk/2.160.0 aws-sdk-js/3.650.0', 'cdk'],
    ['cloudformation.amazonaws.com', 'cloudformation'],
    ['aws-cli/2.9.8 Python/3.9.11 Windows/10 exe/AMD64 prompt/off command/ecs.put-account-setting', 'cli'],
    ['[aws-cli/1.11.10 Python/2.7.8 Linux/3.2.45-0.6.wd.865.49.315.metal1.x86_64 botocore/1.4.67]', 'cli'],
    ['ec2-api-tools 1.6.12.2', 'cli'],
    ['aws-sdk-java/1.11.918 Linux/4.14.193-149.317.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/11.0.3+7-LTS java/11.0.3 vendor/Amazon.com_Inc.', 'sdk'],
    ['aws-sdk-nodejs/2.1692.0 linux/v20.19.4 exec-env/AWS_Lambda_nodejs20.x promise', 'sdk'],
    ['aws-sdk-go-v2/1.32.3 os/linux lang/go#1.23.1 md/GOOS#linux md/GOARCH#amd64 api/sts#1.26.2', 'sdk'],
    ['Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#5.10 lang/python#3.12.0', 'sdk'],
    ['lambda.amazonaws.com', 'service'],
    ['ecs.amazonaws.com', 'service'],
    ['application-autoscaling.amazonaws.com', 'service'],
    ['AWS Internal', 'unknown'],
    ['stratus-red-team_5c59eb79-6dac-405c-a4c4-e19aec03c666', 'unknown'],
    ['Coral/Netty4', 'unknown'],
    ['', 'unknown'],
    [undefined, 'unknown'],
  ])('%s → %s', (agent, via) => {
    expect(viaFromUserAgent(agent)).toBe(via)
  })
})

describe('user agents from a hostile caller (issue 16)', () => {
  it('classifies a 1 MB agent made of "aws-sdk-" in linear time (the unbounded pattern took 1.7 s per 100 KB, quadratic)', () => {
    expect(viaFromUserAgent('aws-sdk-'.repeat(131_072))).toBe('unknown')
    expect(viaFromUserAgent(`${'aws-sdk-'.repeat(131_072)}go/1.0`)).toBe('sdk')
  })

  it('keeps its memos bounded in bytes: 3,000 distinct 100 KB agents and 20,000 distinct short ones', () => {
    for (let i = 0; i < 3000; i++) viaFromUserAgent(`Mozilla/5.0 ${String(i).padStart(4, '0')}${'m'.repeat(100_000)}`)
    expect(userAgentCacheBytes()).toBeLessThanOrEqual(1024 * 1024)
    for (let i = 0; i < 20_000; i++) viaFromUserAgent(`aws-cli/2.15.${i} Python/3.11.6 Linux/6.1 exe/x86_64.amzn.2023 prompt/off command/ecs.run-task`)
    expect(userAgentCacheBytes()).toBeGreaterThan(512 * 1024)
    expect(userAgentCacheBytes()).toBeLessThanOrEqual(1024 * 1024)
  })
})
