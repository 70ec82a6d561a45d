import { readFileSync } from 'node:fs'
import { App } from 'aws-cdk-lib'
import { Match, Template } from 'aws-cdk-lib/assertions'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../bin/app.js'
import eventPattern from '../lib/eventPattern.json' with { type: 'json' }

let central: Template
let forwarder: Template
beforeAll(() => {
  const app = buildApp(new App())
  central = Template.fromStack(app.node.findChild('Trailwarden') as never)
  forwarder = Template.fromStack(app.node.findChild('TrailwardenForwarder') as never)
})

/** Every IAM statement of a template, with the resource that holds it. */
function statements(t: Template): Array<{ Action: string | string[], Resource: unknown, Effect: string }> {
  const out: Array<{ Action: string | string[], Resource: unknown, Effect: string }> = []
  for (const type of ['AWS::IAM::Policy', 'AWS::SQS::QueuePolicy']) {
    for (const r of Object.values(t.findResources(type))) {
      const doc = (r as { Properties: { PolicyDocument: { Statement: Array<{ Action: string | string[], Resource: unknown, Effect: string }> } } }).Properties.PolicyDocument
      out.push(...doc.Statement)
    }
  }
  return out
}

describe('the central stack', () => {
  it('has an ENABLED rule on the default bus with exactly the pattern `trailwarden pattern` prints', () => {
    central.hasResourceProperties('AWS::Events::Rule', { State: 'ENABLED', EventPattern: eventPattern })
    const rule = Object.values(central.findResources('AWS::Events::Rule'))[0] as { Properties: { EventBusName?: string } }
    expect(rule.Properties.EventBusName).toBeUndefined()
  })

  it('targets the queue with a retry policy and a dead-letter queue of its own', () => {
    central.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: Match.anyValue() }, RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 7200 } })],
    })
  })

  it('encrypts the queues, allows 1 MiB messages, and redrives to the DLQ after 5 receives', () => {
    central.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MaximumMessageSize: 1048576,
      VisibilityTimeout: 300,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 5 },
    })
    const queues = Object.values(central.findResources('AWS::SQS::Queue')) as Array<{ Properties: { SqsManagedSseEnabled?: boolean } }>
    expect(queues).toHaveLength(3)
    expect(queues.every((q) => q.Properties.SqsManagedSseEnabled === true)).toBe(true)
  })

  it('lets only events.amazonaws.com send to the queue, and only from this rule', () => {
    const sends = statements(central).filter((s) => JSON.stringify(s.Action).includes('sqs:SendMessage'))
    expect(sends.length).toBeGreaterThan(0)
    for (const s of sends) {
      expect(s).toMatchObject({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [expect.stringMatching(/^Rule/), 'Arn'] } } } })
    }
  })

  it('lets the task read only its own bus rule, and publish only to the configured bus (when one is)', () => {
    const stmts = statements(central)
    expect(stmts).toContainEqual({ Effect: 'Allow', Action: 'events:DescribeRule', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Rule/), 'Arn'] } })
    central.hasResource('AWS::IAM::Policy', {
      Condition: 'HasAlertBus',
      Properties: Match.objectLike({ PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: { Ref: 'AlertBusArn' } }], Version: '2012-10-17' } }),
    })
    central.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Environment: Match.arrayWith([{ Name: 'TRAILWARDEN_EVENTBRIDGE_RULE', Value: { Ref: Match.stringLikeRegexp('^Rule') } }]) })],
    })
  })

  it('gives the task role only the four SQS actions on the queue (and DescribeRule on its rule)', () => {
    const role = Object.entries(central.findResources('AWS::IAM::Role')).find(([, r]) => JSON.stringify(r).includes('trailwarden: consume its queue'))
    expect(role).toBeDefined()
    const policies = Object.values(central.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes(role![0]))
    const stmts = policies
      .filter((p) => !('Condition' in (p as object)))
      .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: unknown[] } } }).Properties.PolicyDocument.Statement)
      .filter((s) => JSON.stringify(s).includes('sqs:'))
    expect(stmts).toEqual([
      {
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
        Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Queue'), 'Arn'] },
      },
    ].map((s) => ({ ...s, Resource: expect.objectContaining({ 'Fn::GetAtt': [expect.stringMatching(/^Queue[0-9A-F]+$/), 'Arn'] }) as unknown })))
  })

  it('allows no "*" action, and a "*" resource only where AWS requires one (ecr:GetAuthorizationToken)', () => {
    // (The queues' Deny sqs:* without TLS is a deny, and stays.)
    for (const s of statements(central).filter((x) => x.Effect === 'Allow')) {
      const actions = ([] as string[]).concat(s.Action)
      expect(actions.some((a) => a === '*' || a.endsWith(':*'))).toBe(false)
      if (s.Resource === '*') expect(actions).toEqual(['ecr:GetAuthorizationToken'])
    }
  })

  it('runs the container read-only, non-root image, Slack token from Secrets Manager, logs with retention, the health check', () => {
    central.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      ContainerDefinitions: [
        Match.objectLike({
          ReadonlyRootFilesystem: true,
          Secrets: [{ Name: 'SLACK_BOT_TOKEN', ValueFrom: { Ref: 'SlackTokenSecretArn' } }],
          HealthCheck: Match.objectLike({ Command: ['CMD', 'node', '-e', Match.stringLikeRegexp('/healthz')] }),
          StopTimeout: 30,
          LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
          Environment: Match.arrayWith([{ Name: 'TRAILWARDEN_QUEUE_URL', Value: Match.anyValue() }]),
        }),
      ],
    })
    central.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 })
  })

  it('runs a Fargate service on the existing cluster and subnets, no public IP, desired count 1 by default', () => {
    central.hasResourceProperties('AWS::ECS::Service', {
      Cluster: { Ref: 'ClusterName' },
      LaunchType: 'FARGATE',
      DesiredCount: { Ref: 'DesiredCount' },
      EnableExecuteCommand: false,
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', Subnets: { Ref: 'SubnetIds' }, SecurityGroups: Match.anyValue() } },
    })
    central.hasParameter('DesiredCount', { Default: 1, AllowedValues: ['1', '2'] })
    central.hasResourceProperties('AWS::EC2::SecurityGroup', { SecurityGroupEgress: [Match.objectLike({ FromPort: 443, ToPort: 443 })] })
  })

  it('alarms on the DLQs, the oldest message and the running task count', () => {
    central.resourceCountIs('AWS::CloudWatch::Alarm', 4)
    central.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0 })
    central.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 300 })
    central.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'RunningTaskCount', Namespace: 'ECS/ContainerInsights', TreatMissingData: 'breaching' })
  })

  it('lets member accounts of an organization forward, only when one is given', () => {
    central.hasResource('AWS::Events::EventBusPolicy', {
      Condition: 'HasMemberOrganization',
      Properties: Match.objectLike({ Statement: Match.objectLike({ Action: 'events:PutEvents', Condition: { StringEquals: { 'aws:PrincipalOrgID': { Ref: 'MemberOrganizationId' } } } }) }),
    })
  })
})

describe('the forwarder stack', () => {
  it('forwards the same pattern to the central bus with a role limited to PutEvents on it', () => {
    forwarder.hasResourceProperties('AWS::Events::Rule', { EventPattern: eventPattern, Targets: [Match.objectLike({ Arn: { Ref: 'CentralEventBusArn' } })] })
    const stmts = statements(forwarder)
    expect(stmts).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: { Ref: 'CentralEventBusArn' } }])
  })
})

describe('the committed templates', () => {
  it('are what the app synthesizes now (npm run synth in deploy/ rewrites them)', () => {
    const app = buildApp(new App())
    const assembly = app.synth()
    for (const stack of assembly.stacks) {
      const committed = JSON.parse(readFileSync(`template/${stack.stackName}.template.json`, 'utf8')) as unknown
      expect(committed, `template/${stack.stackName}.template.json is stale: run npm run synth in deploy/`).toEqual(stack.template)
    }
  })
})
