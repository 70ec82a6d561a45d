import { readFileSync } from 'node:fs'
import { App } from 'aws-cdk-lib'
import { Match, Template } from 'aws-cdk-lib/assertions'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../bin/app.js'
import { CONTAINER_USER, ECS_READ_ACTIONS, STATE_TABLE_ACTIONS } from '../lib/trailwardenStack.js'
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

  it('allows no "*" action, and a "*" resource only where AWS requires one (ecr:GetAuthorizationToken, ecs:DescribeTaskDefinition)', () => {
    // (The queues' Deny sqs:* without TLS is a deny, and stays.) DescribeTaskDefinition has no resource type in the
    // Service Authorization Reference for Amazon ECS, so it cannot be narrowed.
    for (const s of statements(central).filter((x) => x.Effect === 'Allow')) {
      const actions = ([] as string[]).concat(s.Action)
      expect(actions.some((a) => a === '*' || a.endsWith(':*'))).toBe(false)
      if (s.Resource === '*') expect([['ecr:GetAuthorizationToken'], ['ecs:DescribeTaskDefinition']]).toContainEqual(actions)
    }
  })

  it('keeps shared state in an on-demand DynamoDB table keyed by pk, expiring by expiresAt, named to the task', () => {
    central.resourceCountIs('AWS::DynamoDB::Table', 1)
    central.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    })
    central.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Environment: Match.arrayWith([{ Name: 'TRAILWARDEN_STATE_TABLE', Value: { Ref: Match.stringLikeRegexp('^StateTable') } }]) })],
    })
  })

  it('lets the task only GetItem, PutItem, UpdateItem and DeleteItem on that table (no Scan, no Query, no wildcard)', () => {
    const dynamo = statements(central).filter((s) => JSON.stringify(s.Action).includes('dynamodb:'))
    expect(dynamo).toEqual([{ Effect: 'Allow', Action: [...STATE_TABLE_ACTIONS], Resource: { 'Fn::GetAtt': [expect.stringMatching(/^StateTable[0-9A-F]+$/), 'Arn'] } }])
    expect(STATE_TABLE_ACTIONS).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'])
  })

  it('lets the task read exactly the ECS change context: DescribeTaskDefinition and the three service-deployment reads, in this account and region', () => {
    const ecsStatements = statements(central).filter((s) => JSON.stringify(s.Action).includes('"ecs:'))
    expect(ecsStatements.flatMap((s) => ([] as string[]).concat(s.Action)).sort()).toEqual([...ECS_READ_ACTIONS].sort())
    expect([...ECS_READ_ACTIONS].sort()).toEqual(['ecs:DescribeServiceDeployments', 'ecs:DescribeServiceRevisions', 'ecs:DescribeTaskDefinition', 'ecs:ListServiceDeployments'])
    const arn = (type: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${type}/*`]] })
    expect(ecsStatements).toContainEqual({ Effect: 'Allow', Action: 'ecs:DescribeTaskDefinition', Resource: '*' })
    expect(ecsStatements).toContainEqual({
      Effect: 'Allow',
      Action: ['ecs:ListServiceDeployments', 'ecs:DescribeServiceDeployments', 'ecs:DescribeServiceRevisions'],
      Resource: [arn('service'), arn('service-deployment'), arn('service-revision')],
    })
  })

  it('runs the container read-only, non-root image, Slack token from Secrets Manager, logs with retention, the health check', () => {
    central.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      ContainerDefinitions: [
        Match.objectLike({
          ReadonlyRootFilesystem: true,
          Secrets: [
            { Name: 'SLACK_BOT_TOKEN', ValueFrom: { Ref: 'SlackTokenSecretArn' } },
            { 'Fn::If': ['HasSlackAppToken', { Name: 'SLACK_APP_TOKEN', ValueFrom: { Ref: 'SlackAppTokenSecretArn' } }, { Ref: 'AWS::NoValue' }] },
          ],
          User: CONTAINER_USER,
          HealthCheck: Match.objectLike({ Command: ['CMD', 'node', '-e', Match.stringLikeRegexp('/healthz')] }),
          StopTimeout: 30,
          LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
          Environment: Match.arrayWith([{ Name: 'TRAILWARDEN_QUEUE_URL', Value: Match.anyValue() }]),
        }),
      ],
    })
    central.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 })
  })

  it('runs a Fargate service on the existing cluster, spread across the subnets\' Availability Zones, no public IP unless asked, 2 tasks by default (1–10)', () => {
    central.hasResourceProperties('AWS::ECS::Service', {
      Cluster: { Ref: 'ClusterName' },
      LaunchType: 'FARGATE',
      DesiredCount: { Ref: 'DesiredCount' },
      EnableExecuteCommand: false,
      AvailabilityZoneRebalancing: 'ENABLED',
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: { Ref: 'AssignPublicIp' }, Subnets: { Ref: 'SubnetIds' }, SecurityGroups: Match.anyValue() } },
    })
    central.hasParameter('AssignPublicIp', { Default: 'DISABLED', AllowedValues: ['DISABLED', 'ENABLED'] })
    // Fargate takes no placement strategy (tasks are spread across the subnets' zones by ECS itself).
    const service = Object.values(central.findResources('AWS::ECS::Service'))[0] as { Properties: Record<string, unknown> }
    expect(service.Properties.PlacementStrategies).toBeUndefined()
    central.hasParameter('DesiredCount', { Type: 'Number', Default: 2, MinValue: 1, MaxValue: 10 })
    central.hasParameter('SubnetIds', { Type: 'List<AWS::EC2::Subnet::Id>', Description: Match.stringLikeRegexp('at least two Availability Zones') })
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

describe('the parameters: nothing in the template needs editing', () => {
  it('takes the image URI, the Slack default channel and the token secret\'s ARN, and sets no TRAILWARDEN_CONFIG', () => {
    central.hasParameter('ImageUri', { Type: 'String', AllowedPattern: Match.anyValue() })
    central.hasParameter('SlackDefaultChannel', { Type: 'String' })
    central.hasParameter('SlackTokenSecretArn', { Type: 'String' })
    expect(central.toJSON().Parameters.SlackDefaultChannel.Default).toBeUndefined()
    const container = (Object.values(central.findResources('AWS::ECS::TaskDefinition'))[0] as { Properties: { ContainerDefinitions: Array<{ Image: unknown, Environment: Array<{ Name: string, Value: unknown }> }> } }).Properties.ContainerDefinitions[0]!
    expect(container.Image).toEqual({ Ref: 'ImageUri' })
    expect(container.Environment).toContainEqual({ Name: 'TRAILWARDEN_SLACK_DEFAULT_CHANNEL', Value: { Ref: 'SlackDefaultChannel' } })
    expect(container.Environment.map((e) => e.Name)).not.toContain('TRAILWARDEN_CONFIG')
  })

  it('accepts ECR image URIs with a tag or a digest and refuses others', () => {
    const pattern = new RegExp((central.toJSON().Parameters.ImageUri as { AllowedPattern: string }).AllowedPattern)
    expect(pattern.test('111122223333.dkr.ecr.eu-west-1.amazonaws.com/trailwarden-rules:3f9c2e1')).toBe(true)
    expect(pattern.test('111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/rules@sha256:' + 'a'.repeat(64))).toBe(true)
    expect(pattern.test('trailwarden:latest')).toBe(false)
    expect(pattern.test('111122223333.dkr.ecr.eu-west-1.amazonaws.com/trailwarden')).toBe(false)
  })

  it('lets the execution role pull only from the image\'s account and region, and read only the given secrets', () => {
    const pull = statements(central).find((s) => JSON.stringify(s.Action).includes('ecr:BatchGetImage'))
    expect(JSON.stringify(pull?.Resource)).toMatch(/Fn::Select.*3.*ImageUri.*Fn::Select.*0.*ImageUri.*:repository\/\*/)
    central.hasResource('AWS::IAM::Policy', {
      Condition: 'HasSlackAppToken',
      Properties: Match.objectLike({ PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: { Ref: 'SlackAppTokenSecretArn' } }], Version: '2012-10-17' } }),
    })
    central.hasParameter('SlackAppTokenSecretArn', { Default: '' })
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
  it('deploy without CDK bootstrap: no BootstrapVersion parameter, no CheckBootstrapVersion rule, no asset', () => {
    for (const name of ['Trailwarden', 'TrailwardenForwarder']) {
      const template = JSON.parse(readFileSync(`template/${name}.template.json`, 'utf8')) as { Parameters?: Record<string, unknown>, Rules?: Record<string, unknown> }
      expect(Object.keys(template.Parameters ?? {})).not.toContain('BootstrapVersion')
      expect(template.Rules?.CheckBootstrapVersion).toBeUndefined()
      expect(JSON.stringify(template)).not.toMatch(/cdk-hnb659fds|AssetParameters|BootstrapVersion/)
    }
  })

  it('are what the app synthesizes now (npm run synth in deploy/ rewrites them)', () => {
    const app = buildApp(new App())
    const assembly = app.synth()
    for (const stack of assembly.stacks) {
      const committed = JSON.parse(readFileSync(`template/${stack.stackName}.template.json`, 'utf8')) as unknown
      expect(committed, `template/${stack.stackName}.template.json is stale: run npm run synth in deploy/`).toEqual(stack.template)
    }
  })
})

describe('deploy/README.md', () => {
  const readme = readFileSync('README.md', 'utf8')

  it('builds the app before cdk runs it from dist/, and bootstraps before cdk deploy', () => {
    const cdkJson = JSON.parse(readFileSync('cdk.json', 'utf8')) as { app: string }
    expect(cdkJson.app).toBe('node dist/bin/app.js')
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }
    expect(pkg.scripts.build).toBe('tsc -p tsconfig.json')
    const at = (s: string) => readme.indexOf(s)
    expect(at('npm run build')).toBeGreaterThan(-1)
    expect(at('npm run build')).toBeLessThan(at('npx cdk bootstrap'))
    expect(at('npx cdk bootstrap')).toBeLessThan(at('npx cdk deploy'))
  })

  it('passes every parameter without a default in both deploy commands, and names only parameters the stack has', () => {
    const template = JSON.parse(readFileSync('template/Trailwarden.template.json', 'utf8')) as { Parameters: Record<string, { Default?: unknown }> }
    const required = Object.entries(template.Parameters).filter(([, p]) => p.Default === undefined).map(([name]) => name)
    const plain = /aws cloudformation deploy --template-file[^`]*/.exec(readme)![0]
    const cdk = /npx cdk deploy Trailwarden[^`]*/.exec(readme)![0]
    for (const name of required) {
      expect(plain).toContain(`${name}=`)
      expect(cdk).toContain(`--parameters ${name}=`)
    }
    for (const [, name] of plain.matchAll(/\b([A-Z][A-Za-z]+)=/g)) expect(Object.keys(template.Parameters)).toContain(name)
    expect(plain).toContain('--template-file deploy/template/Trailwarden.template.json')
  })
})
