import { Annotations, Aws, CfnCondition, CfnOutput, CfnParameter, DefaultStackSynthesizer, Duration, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib'
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch'
import * as ec2 from 'aws-cdk-lib/aws-ec2'
import * as ecs from 'aws-cdk-lib/aws-ecs'
import * as events from 'aws-cdk-lib/aws-events'
import * as targets from 'aws-cdk-lib/aws-events-targets'
import * as iam from 'aws-cdk-lib/aws-iam'
import * as logs from 'aws-cdk-lib/aws-logs'
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager'
import * as sqs from 'aws-cdk-lib/aws-sqs'
import type { Construct } from 'constructs'
import { stateTable } from './stateTable.js'
import { AuditTable, auditTablePropsFromContext } from './auditTable.js'

export interface TrailwardenStackProps extends StackProps {
  /** The EventBridge pattern `trailwarden pattern` prints for the rule set the image carries. */
  eventPattern: events.EventPattern
  /** Seconds the daemon takes to stop (TRAILWARDEN_SHUTDOWN_SECONDS); the ECS stop timeout leaves room above it. */
  shutdownSeconds?: number
}

/** The container's user: the official node image's `node` (uid and gid 1000), stated here so no image can run as root. */
export const CONTAINER_USER = '1000:1000'

/**
 * The ECS read actions the change context of issue 20 calls (src/core change derivation through @aws-sdk/client-ecs):
 * the previous task definition revision, and a service's deployments and their before/after revisions. Read only.
 */
export const ECS_READ_ACTIONS = ['ecs:DescribeTaskDefinition', 'ecs:ListServiceDeployments', 'ecs:DescribeServiceDeployments', 'ecs:DescribeServiceRevisions'] as const

/** What the state store calls on its table (issue 19): single items only — no Scan, no Query, no batch. */
export const STATE_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'] as const

/**
 * A plain CloudFormation template: no BootstrapVersion parameter and no CheckBootstrapVersion rule, so
 * template/Trailwarden.template.json deploys with `aws cloudformation deploy` in an account CDK never touched. The
 * stack has no assets, so nothing else of the bootstrap is needed; `cdk deploy` still uses the bootstrap's roles.
 */
export const plainTemplateSynthesizer = (): DefaultStackSynthesizer => new DefaultStackSynthesizer({ generateBootstrapVersionRule: false })

/**
 * trailwarden in one account and region: the EventBridge rule on the default bus → an encrypted SQS queue with a
 * dead-letter queue → an ECS Fargate service on an existing cluster, with least-privilege roles, logs, the container
 * health check and alarms. Everything site-specific is a CloudFormation parameter, so the synthesized template in
 * deploy/template/ works without CDK.
 */
export class TrailwardenStack extends Stack {
  readonly queue: sqs.Queue
  readonly deadLetterQueue: sqs.Queue
  readonly rule: events.Rule

  constructor(scope: Construct, id: string, props: TrailwardenStackProps) {
    super(scope, id, { synthesizer: plainTemplateSynthesizer(), ...props })
    const shutdownSeconds = props.shutdownSeconds ?? 20

    const clusterName = new CfnParameter(this, 'ClusterName', { type: 'String', description: 'Existing ECS cluster to run trailwarden in.' })
    const vpcId = new CfnParameter(this, 'VpcId', { type: 'AWS::EC2::VPC::Id', description: 'VPC of the subnets.' })
    const subnetIds = new CfnParameter(this, 'SubnetIds', {
      type: 'List<AWS::EC2::Subnet::Id>',
      description: 'Private subnets in at least two Availability Zones (the tasks are spread across them), with a route to SQS, DynamoDB, CloudWatch Logs, ECR and Slack (NAT or endpoints).',
    })
    // An ECR private image: the execution role may pull from that account's repositories in that region only.
    const imageUri = new CfnParameter(this, 'ImageUri', {
      type: 'String',
      allowedPattern: '^\\d{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$',
      constraintDescription: 'an ECR image URI with a tag or digest: ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPOSITORY:TAG',
      description: 'The trailwarden image your CI built and pushed (examples/rules-repo), e.g. 111122223333.dkr.ecr.eu-west-1.amazonaws.com/trailwarden-rules:3f9c2e1.',
    })
    const slackSecretArn = new CfnParameter(this, 'SlackTokenSecretArn', { type: 'String', allowedPattern: '^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:.+$', description: 'Full ARN of the Secrets Manager secret holding the Slack bot token (xoxb-…), as a plain string.' })
    const slackChannel = new CfnParameter(this, 'SlackDefaultChannel', {
      type: 'String',
      allowedPattern: '^(#[^\\s]{1,80}|[CG][A-Z0-9]{8,})$',
      constraintDescription: 'a channel name with its # (#alerts) or a channel id (C0123ABCD)',
      description: 'Channel for alerts no route of trailwarden.yaml claims (TRAILWARDEN_SLACK_DEFAULT_CHANNEL; it overrides slack.defaultChannel). Invite the bot to it.',
    })
    const appSecretArn = new CfnParameter(this, 'SlackAppTokenSecretArn', {
      type: 'String',
      default: '',
      allowedPattern: '^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:.+)?$',
      description: 'Optional: full ARN of a secret holding the Slack app-level token (xapp-…) for Socket Mode buttons (SLACK_APP_TOKEN); empty: none.',
    })
    const desiredCount = new CfnParameter(this, 'DesiredCount', {
      type: 'Number',
      default: 2,
      minValue: 1,
      maxValue: 10,
      description: 'Tasks, spread across the subnets\' Availability Zones. With the state table they share claims, threads and counts, so two or more post nothing twice.',
    })
    const organizationId = new CfnParameter(this, 'MemberOrganizationId', { type: 'String', default: '', description: 'AWS Organizations id whose accounts may forward ECS events to this bus (empty: none).' })
    // The validator takes "Secret…Arn" for a password parameter; it is only the secret's ARN, not the token.
    Annotations.of(this).acknowledgeWarning('CloudFormation-Validate::W2509', 'SlackTokenSecretArn and SlackAppTokenSecretArn are ARNs, not secret values')
    const alertBusArn = new CfnParameter(this, 'AlertBusArn', { type: 'String', default: '', description: 'Event bus ARN alerts are also published to (config eventbridge.bus); empty: none.' })
    const assignPublicIp = new CfnParameter(this, 'AssignPublicIp', {
      type: 'String',
      default: 'DISABLED',
      allowedValues: ['DISABLED', 'ENABLED'],
      description: 'DISABLED for private subnets with NAT or VPC endpoints; ENABLED only for public subnets (a default VPC), where the task needs a public IP to reach ECR, SQS and Slack. The security group allows no inbound traffic either way.',
    })
    const logLevel = new CfnParameter(this, 'LogLevel', { type: 'String', default: 'info', allowedValues: ['error', 'warn', 'info', 'debug'] })

    // Queues: SSE on, 1 MiB messages (EventBridge and SQS both allow 1 MiB), a visibility timeout well above the
    // processing bound (a storm digest waits up to a minute; the daemon heartbeats messages still in work).
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    })
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      maxMessageSizeBytes: 1024 * 1024,
      visibilityTimeout: Duration.minutes(5),
      retentionPeriod: Duration.days(4),
      receiveMessageWaitTime: Duration.seconds(20),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
      enforceSSL: true,
    })
    // Events EventBridge could not deliver to the queue.
    const targetDlq = new sqs.Queue(this, 'TargetDeadLetterQueue', { encryption: sqs.QueueEncryption.SQS_MANAGED, retentionPeriod: Duration.days(14), enforceSSL: true })

    this.rule = new events.Rule(this, 'Rule', {
      description: 'ECS API calls recorded by CloudTrail, for trailwarden (pattern from `trailwarden pattern`)',
      eventPattern: props.eventPattern,
      enabled: true,
    })
    // The target adds a queue policy letting events.amazonaws.com send only with aws:SourceArn of this rule.
    this.rule.addTarget(new targets.SqsQueue(this.queue, { deadLetterQueue: targetDlq, retryAttempts: 8, maxEventAge: Duration.hours(2) }))

    const hasOrganization = new CfnCondition(this, 'HasMemberOrganization', { expression: Fn.conditionNot(Fn.conditionEquals(organizationId.valueAsString, '')) })
    const busPolicy = new events.CfnEventBusPolicy(this, 'MemberAccountsMayForward', {
      statementId: 'trailwarden-member-accounts',
      eventBusName: 'default',
      statement: {
        Sid: 'trailwarden-member-accounts',
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Resource: `arn:${this.partition}:events:${this.region}:${this.account}:event-bus/default`,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': organizationId.valueAsString } },
      },
    })
    busPolicy.cfnOptions.condition = hasOrganization

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.RETAIN })

    // The task role: only what the poll loop calls, on this queue.
    const taskRole = new iam.Role(this, 'TaskRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'), description: 'trailwarden: consume its queue' })
    taskRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
        resources: [this.queue.queueArn],
      }),
    )

    // The shared state (issue 19): single-item reads and writes on this one table.
    const table = stateTable(this, 'StateTable')
    taskRole.addToPolicy(new iam.PolicyStatement({ actions: [...STATE_TABLE_ACTIONS], resources: [table.tableArn] }))

    // The change context (issue 20), read only. The Service Authorization Reference for Amazon ECS
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html) lists
    // no resource type for DescribeTaskDefinition, so it takes "*"; the three service-deployment actions take the
    // service, service-deployment and service-revision ARNs (developer guide, "Permissions required for viewing Amazon
    // ECS service deployments"), narrowed here to this account and region: any cluster's services, since trailwarden
    // watches them all.
    taskRole.addToPolicy(new iam.PolicyStatement({ actions: [ECS_READ_ACTIONS[0]], resources: ['*'] }))
    const ecsArn = (type: string) => `arn:${Aws.PARTITION}:ecs:${Aws.REGION}:${Aws.ACCOUNT_ID}:${type}/*`
    taskRole.addToPolicy(new iam.PolicyStatement({ actions: ECS_READ_ACTIONS.slice(1), resources: ['service', 'service-deployment', 'service-revision'].map(ecsArn) }))

    // The drift check reads this stack's own rule, nothing else.
    taskRole.addToPolicy(new iam.PolicyStatement({ actions: ['events:DescribeRule'], resources: [this.rule.ruleArn] }))
    // Publishing alerts onward, only to the configured bus, only when one is configured.
    const hasAlertBus = new CfnCondition(this, 'HasAlertBus', { expression: Fn.conditionNot(Fn.conditionEquals(alertBusArn.valueAsString, '')) })
    const publish = new iam.Policy(this, 'PublishAlerts', {
      roles: [taskRole],
      statements: [new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [alertBusArn.valueAsString] })],
    })
    ;(publish.node.defaultChild as iam.CfnPolicy).cfnOptions.condition = hasAlertBus

    const taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: 256,
      memoryLimitMiB: 512,
      taskRole,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    })
    const slackSecret = secretsmanager.Secret.fromSecretCompleteArn(this, 'SlackToken', slackSecretArn.valueAsString)
    taskDefinition.addContainer('trailwarden', {
      image: ecs.ContainerImage.fromRegistry(imageUri.valueAsString),
      readonlyRootFilesystem: true,
      user: CONTAINER_USER,
      // No TRAILWARDEN_CONFIG: the bundled rule pack runs with its own list defaults (rules/ecs/lists.yaml); an image
      // built FROM trailwarden with a team's rules sets TRAILWARDEN_RULES and TRAILWARDEN_CONFIG itself.
      environment: {
        TRAILWARDEN_QUEUE_URL: this.queue.queueUrl,
        AWS_REGION: this.region,
        PORT: '8080',
        LOG_LEVEL: logLevel.valueAsString,
        TRAILWARDEN_SHUTDOWN_SECONDS: String(shutdownSeconds),
        TRAILWARDEN_EVENTBRIDGE_RULE: this.rule.ruleName,
        TRAILWARDEN_SLACK_DEFAULT_CHANNEL: slackChannel.valueAsString,
        TRAILWARDEN_STATE_TABLE: table.tableName,
      },
      secrets: { SLACK_BOT_TOKEN: ecs.Secret.fromSecretsManager(slackSecret) },
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'trailwarden' }),
      portMappings: [{ containerPort: 8080 }],
      // The image has no curl: Node's own fetch asks /healthz.
      healthCheck: {
        command: ['CMD', 'node', '-e', "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"],
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
      // ECS sends SIGTERM, then SIGKILL after this: more than the daemon's own shutdown bound.
      stopTimeout: Duration.seconds(shutdownSeconds + 10),
    })

    // The image comes from ECR by URI: pull rights on the repositories of the image's account and region (the URI's
    // first and fourth dot-separated parts), and the registry login, which AWS allows only on "*".
    const executionRole = taskDefinition.obtainExecutionRole()
    const imageHost = Fn.split('.', imageUri.valueAsString)
    executionRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
      resources: [`arn:${Aws.PARTITION}:ecr:${Fn.select(3, imageHost)}:${Fn.select(0, imageHost)}:repository/*`],
    }))
    executionRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }))

    // Socket Mode (issue 23), only when an app-level token is given: the secret joins the container's secrets and the
    // execution role may read it; otherwise neither exists in the deployed stack.
    const hasAppToken = new CfnCondition(this, 'HasSlackAppToken', { expression: Fn.conditionNot(Fn.conditionEquals(appSecretArn.valueAsString, '')) })
    const cfnTask = taskDefinition.node.defaultChild as ecs.CfnTaskDefinition
    cfnTask.addPropertyOverride('ContainerDefinitions.0.Secrets.1', Fn.conditionIf(hasAppToken.logicalId, { Name: 'SLACK_APP_TOKEN', ValueFrom: appSecretArn.valueAsString }, Aws.NO_VALUE))
    const readAppToken = new iam.Policy(this, 'ReadSlackAppToken', {
      roles: [executionRole],
      statements: [new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: [appSecretArn.valueAsString] })],
    })
    ;(readAppToken.node.defaultChild as iam.CfnPolicy).cfnOptions.condition = hasAppToken

    const securityGroup = new ec2.CfnSecurityGroup(this, 'SecurityGroup', {
      groupDescription: 'trailwarden: no inbound; HTTPS out to AWS APIs and Slack',
      vpcId: vpcId.valueAsString,
      securityGroupEgress: [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: '0.0.0.0/0', description: 'HTTPS to SQS, CloudWatch Logs, ECR and Slack' }],
    })
    const service = new ecs.CfnService(this, 'Service', {
      cluster: clusterName.valueAsString,
      launchType: 'FARGATE',
      desiredCount: desiredCount.valueAsNumber,
      // Fargate takes no placement strategy: ECS spreads a service's tasks across the Availability Zones of its subnets,
      // and with rebalancing on it moves them back when one zone holds more (developer guide, "Balancing an Amazon ECS
      // service across Availability Zones").
      availabilityZoneRebalancing: 'ENABLED',
      taskDefinition: taskDefinition.taskDefinitionArn,
      enableExecuteCommand: false,
      propagateTags: 'SERVICE',
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } },
      networkConfiguration: { awsvpcConfiguration: { subnets: subnetIds.valueAsList, securityGroups: [securityGroup.attrGroupId], assignPublicIp: assignPublicIp.valueAsString } },
    })

    // Alarms: anything in a DLQ is a lost alert until someone looks; an old message means the consumer is stuck;
    // no running task means nothing is watching.
    const notEmpty = (id: string, queue: sqs.Queue, alarmDescription: string) =>
      new cloudwatch.Alarm(this, id, {
        alarmDescription,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      })
    notEmpty('DeadLetterQueueNotEmpty', this.deadLetterQueue, 'trailwarden: messages in the dead-letter queue (unreadable, or alerts Slack kept refusing)')
    notEmpty('TargetDeadLetterQueueNotEmpty', targetDlq, 'trailwarden: EventBridge could not deliver events to the queue')
    new cloudwatch.Alarm(this, 'OldestMessageAge', {
      alarmDescription: 'trailwarden: the oldest message is over 5 minutes old (consumer stuck or Slack down)',
      metric: this.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 300,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    })
    new cloudwatch.Alarm(this, 'NoRunningTask', {
      alarmDescription: 'trailwarden: no task running (needs Container Insights on the cluster)',
      metric: new cloudwatch.Metric({
        namespace: 'ECS/ContainerInsights',
        metricName: 'RunningTaskCount',
        dimensionsMap: { ClusterName: clusterName.valueAsString, ServiceName: service.attrName },
        period: Duration.minutes(1),
        statistic: 'Minimum',
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    })

    new CfnOutput(this, 'QueueUrl', { value: this.queue.queueUrl })
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.deadLetterQueue.queueUrl })
    new CfnOutput(this, 'RuleArn', { value: this.rule.ruleArn })
    new CfnOutput(this, 'StateTableName', { value: table.tableName })
    // Opt in (issue #22): -c auditTrailBucket=… -c auditAccounts=… -c auditRegions=… adds the Athena audit table.
    const audit = auditTablePropsFromContext(this)
    if (audit) new AuditTable(this, 'Audit', audit)
  }
}
