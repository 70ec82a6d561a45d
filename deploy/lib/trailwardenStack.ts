import { Annotations, CfnCondition, CfnOutput, CfnParameter, Duration, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib'
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch'
import * as ec2 from 'aws-cdk-lib/aws-ec2'
import * as ecr from 'aws-cdk-lib/aws-ecr'
import * as ecs from 'aws-cdk-lib/aws-ecs'
import * as events from 'aws-cdk-lib/aws-events'
import * as targets from 'aws-cdk-lib/aws-events-targets'
import * as iam from 'aws-cdk-lib/aws-iam'
import * as logs from 'aws-cdk-lib/aws-logs'
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager'
import * as sqs from 'aws-cdk-lib/aws-sqs'
import type { Construct } from 'constructs'
import { AuditTable, auditTablePropsFromContext } from './auditTable.js'

export interface TrailwardenStackProps extends StackProps {
  /** The EventBridge pattern `trailwarden pattern` prints for the rule set the image carries. */
  eventPattern: events.EventPattern
  /** Seconds the daemon takes to stop (TRAILWARDEN_SHUTDOWN_SECONDS); the ECS stop timeout leaves room above it. */
  shutdownSeconds?: number
}

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
    super(scope, id, props)
    const shutdownSeconds = props.shutdownSeconds ?? 20

    const clusterName = new CfnParameter(this, 'ClusterName', { type: 'String', description: 'Existing ECS cluster to run trailwarden in.' })
    const vpcId = new CfnParameter(this, 'VpcId', { type: 'AWS::EC2::VPC::Id', description: 'VPC of the subnets.' })
    const subnetIds = new CfnParameter(this, 'SubnetIds', { type: 'List<AWS::EC2::Subnet::Id>', description: 'Private subnets with a route to SQS, CloudWatch Logs and Slack (NAT or endpoints).' })
    const repositoryName = new CfnParameter(this, 'ImageRepository', { type: 'String', description: 'ECR repository (same account) of the trailwarden image your CI builds.' })
    const imageTag = new CfnParameter(this, 'ImageTag', { type: 'String', default: 'latest', description: 'Image tag to run (a commit SHA, ideally).' })
    const slackSecretArn = new CfnParameter(this, 'SlackTokenSecretArn', { type: 'String', description: 'Full ARN of the Secrets Manager secret holding the Slack bot token (xoxb-…).' })
    const desiredCount = new CfnParameter(this, 'DesiredCount', { type: 'Number', default: 1, allowedValues: ['1', '2'], description: 'Tasks: 1, or 2 for a standby (deliveries are idempotent per task, so a second task can rarely post a duplicate).' })
    const organizationId = new CfnParameter(this, 'MemberOrganizationId', { type: 'String', default: '', description: 'AWS Organizations id whose accounts may forward ECS events to this bus (empty: none).' })
    // The validator takes "Secret…Arn" for a password parameter; it is only the secret's ARN, not the token.
    Annotations.of(this).acknowledgeWarning('CloudFormation-Validate::W2509', 'SlackTokenSecretArn is an ARN, not a secret value')
    const alertBusArn = new CfnParameter(this, 'AlertBusArn', { type: 'String', default: '', description: 'Event bus ARN alerts are also published to (config eventbridge.bus); empty: none.' })
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
    const repository = ecr.Repository.fromRepositoryName(this, 'Repository', repositoryName.valueAsString)
    const slackSecret = secretsmanager.Secret.fromSecretCompleteArn(this, 'SlackToken', slackSecretArn.valueAsString)
    taskDefinition.addContainer('trailwarden', {
      image: ecs.ContainerImage.fromEcrRepository(repository, imageTag.valueAsString),
      readonlyRootFilesystem: true,
      environment: {
        TRAILWARDEN_QUEUE_URL: this.queue.queueUrl,
        AWS_REGION: this.region,
        PORT: '8080',
        LOG_LEVEL: logLevel.valueAsString,
        TRAILWARDEN_SHUTDOWN_SECONDS: String(shutdownSeconds),
        TRAILWARDEN_EVENTBRIDGE_RULE: this.rule.ruleName,
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

    const securityGroup = new ec2.CfnSecurityGroup(this, 'SecurityGroup', {
      groupDescription: 'trailwarden: no inbound; HTTPS out to AWS APIs and Slack',
      vpcId: vpcId.valueAsString,
      securityGroupEgress: [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: '0.0.0.0/0', description: 'HTTPS to SQS, CloudWatch Logs, ECR and Slack' }],
    })
    const service = new ecs.CfnService(this, 'Service', {
      cluster: clusterName.valueAsString,
      launchType: 'FARGATE',
      desiredCount: desiredCount.valueAsNumber,
      taskDefinition: taskDefinition.taskDefinitionArn,
      enableExecuteCommand: false,
      propagateTags: 'SERVICE',
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } },
      networkConfiguration: { awsvpcConfiguration: { subnets: subnetIds.valueAsList, securityGroups: [securityGroup.attrGroupId], assignPublicIp: 'DISABLED' } },
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
    // Opt in (issue #22): -c auditTrailBucket=… -c auditAccounts=… -c auditRegions=… adds the Athena audit table.
    const audit = auditTablePropsFromContext(this)
    if (audit) new AuditTable(this, 'Audit', audit)
  }
}
