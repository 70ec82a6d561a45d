/**
 * The standard CloudTrail table of Athena (the columns of AWS's own DDL, which has no sourceIdentity,
 * https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html), as the SQL compiler
 * and the DDL both see it. Keys are the record's own field names; the column is the lower-cased name.
 */
export type ColumnShape =
  /** A string column: CloudTrail writes a string there. */
  | 'string'
  /** A string column holding a JSON boolean CloudTrail writes (readOnly, managementEvent): 'true' or 'false'. */
  | 'boolean'
  /** A string column holding a JSON document (requestParameters and the like): read with json_parse. */
  | 'json'
  /** A map of strings (webIdFederationData.attributes): refused for Athena. */
  | 'map'
  /** A column the compiler does not read (an array of structs): a rule naming it is refused for Athena, with this reason. */
  | `unsupported: ${string}`
  /** A struct: its fields, each a string or a struct. */
  | { [field: string]: ColumnShape }

export const USER_IDENTITY: Record<string, ColumnShape> = {
  type: 'string',
  principalId: 'string',
  arn: 'string',
  accountId: 'string',
  invokedBy: 'string',
  accessKeyId: 'string',
  userName: 'string',
  onBehalfOf: { userId: 'string', identityStoreArn: 'string' },
  sessionContext: {
    attributes: { mfaAuthenticated: 'string', creationDate: 'string' },
    sessionIssuer: { type: 'string', principalId: 'string', arn: 'string', accountId: 'string', userName: 'string' },
    ec2RoleDelivery: 'string',
    webIdFederationData: { federatedProvider: 'string', attributes: 'map' },
  },
}

export const CLOUDTRAIL_COLUMNS: Record<string, ColumnShape> = {
  eventVersion: 'string',
  userIdentity: USER_IDENTITY,
  eventTime: 'string',
  eventSource: 'string',
  eventName: 'string',
  awsRegion: 'string',
  sourceIPAddress: 'string',
  userAgent: 'string',
  errorCode: 'string',
  errorMessage: 'string',
  requestParameters: 'json',
  responseElements: 'json',
  additionalEventData: 'json',
  requestID: 'string',
  eventID: 'string',
  readOnly: 'boolean',
  resources: 'unsupported: an array of structs in the Athena table (ARRAY<STRUCT<arn, accountid, type>>)',
  eventType: 'string',
  apiVersion: 'string',
  managementEvent: 'boolean',
  recipientAccountId: 'string',
  serviceEventDetails: 'json',
  sharedEventID: 'string',
  vpcEndpointId: 'string',
  eventCategory: 'string',
  tlsDetails: { tlsVersion: 'string', cipherSuite: 'string', clientProvidedHostHeader: 'string' },
  sessionCredentialFromConsole: 'string',
}

/** The Hive type of a column, for the DDL. */
export function hiveType(shape: ColumnShape): string {
  if (shape === 'string' || shape === 'boolean' || shape === 'json') return 'STRING'
  if (shape === 'map') return 'MAP<STRING, STRING>'
  if (typeof shape === 'string') return 'ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>'
  return `STRUCT<${Object.entries(shape).map(([k, v]) => `${k.toLowerCase()}: ${hiveType(v)}`).join(', ')}>`
}
