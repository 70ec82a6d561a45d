import type { FieldSchema } from '../pattern/compilePattern.js'
import { CHANGE_FIELDS } from '../../change/changeFields.js'

/** CloudTrail record fields (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html). */
const RECORD_FIELDS = [
  'eventVersion', 'userIdentity', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent',
  'errorCode', 'errorMessage', 'requestParameters', 'responseElements', 'additionalEventData', 'requestID', 'eventID',
  'readOnly', 'resources', 'eventType', 'apiVersion', 'managementEvent', 'recipientAccountId', 'sharedEventID',
  'vpcEndpointId', 'vpcEndpointAccountId', 'eventCategory', 'addendum', 'sessionCredentialFromConsole',
  'edgeDeviceDetails', 'tlsDetails', 'serviceEventDetails', 'insightDetails', 'annotation',
]
/** EventBridge envelope fields, so patterns copied from an EventBridge rule work. */
const ENVELOPE_FIELDS = ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']

export const ACTOR_FIELDS = ['type', 'arn', 'account', 'name', 'role', 'session', 'sourceIdentity', 'console', 'mfa', 'service', 'via']
export const ECS_FIELDS = ['cluster', 'service', 'taskDefinition', 'container', 'task', 'externalImages']
const CONTEXT_FIELDS = ['actor', 'env', 'ecs', 'mutating', 'eventKey', 'change']

/** The names a rule pattern may use: misspelt ones would never match, so they are errors. */
export const RULE_FIELDS: FieldSchema = {
  topLevel: new Set([...RECORD_FIELDS, ...ENVELOPE_FIELDS, ...CONTEXT_FIELDS]),
  closed: { actor: new Set(ACTOR_FIELDS), ecs: new Set(ECS_FIELDS), change: new Set(CHANGE_FIELDS) },
}
