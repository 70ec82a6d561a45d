import { RemovalPolicy } from 'aws-cdk-lib'
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb'
import type { Construct } from 'constructs'

/**
 * The shared delivery state of issue 19 (claims, thread parents, counters, once-per-window notices), read by every
 * task through TRAILWARDEN_STATE_TABLE: partition key `pk` (string), expiry in `expiresAt` (epoch seconds) as the TTL
 * attribute. On demand: the load is a few writes per alert. DynamoDB deletes expired items lazily, so the daemon
 * compares `expiresAt` itself; TTL only keeps the table small. Everything in it expires within a day, so it is
 * removed with the stack rather than kept.
 */
export function stateTable(scope: Construct, id: string): dynamodb.Table {
  return new dynamodb.Table(scope, id, {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    timeToLiveAttribute: 'expiresAt',
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    removalPolicy: RemovalPolicy.DESTROY,
  })
}
