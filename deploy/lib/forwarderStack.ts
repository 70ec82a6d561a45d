import { CfnParameter, Stack, type StackProps } from 'aws-cdk-lib'
import * as events from 'aws-cdk-lib/aws-events'
import * as targets from 'aws-cdk-lib/aws-events-targets'
import type { Construct } from 'constructs'
import { plainTemplateSynthesizer } from './trailwardenStack.js'

export interface ForwarderStackProps extends StackProps {
  eventPattern: events.EventPattern
}

/**
 * For member accounts and other regions: forward the same ECS CloudTrail events to the central account's default
 * bus, where trailwarden's rule picks them up. The central stack's MemberOrganizationId parameter lets them in.
 */
export class ForwarderStack extends Stack {
  constructor(scope: Construct, id: string, props: ForwarderStackProps) {
    super(scope, id, { synthesizer: plainTemplateSynthesizer(), ...props })
    const centralBusArn = new CfnParameter(this, 'CentralEventBusArn', {
      type: 'String',
      allowedPattern: '^arn:aws[a-z-]*:events:[a-z0-9-]+:\\d{12}:event-bus/default$',
      description: "ARN of the central account's default event bus (arn:aws:events:REGION:ACCOUNT:event-bus/default).",
    })
    const rule = new events.Rule(this, 'Forward', {
      description: 'Forward ECS API calls recorded by CloudTrail to the central trailwarden account',
      eventPattern: props.eventPattern,
    })
    // CDK creates the role EventBridge assumes to put events on the other account's bus, limited to that bus.
    rule.addTarget(new targets.EventBus(events.EventBus.fromEventBusArn(this, 'CentralBus', centralBusArn.valueAsString)))
  }
}
