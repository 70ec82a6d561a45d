/** Replace one value deep in a JSON tree (the path's numbers pick children modulo their count): for fuzzing. */
export function mutateJson(value: unknown, path: readonly number[], replacement: unknown): unknown {
  if (value === null || typeof value !== 'object' || path.length === 0) return replacement
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v: unknown, i) => [i, v]) : Object.entries(value)
  if (entries.length === 0) return replacement
  const [key, child] = entries[path[0]! % entries.length]!
  const copy = (Array.isArray(value) ? [...(value as unknown[])] : { ...(value as Record<string, unknown>) }) as Record<string | number, unknown>
  copy[key] = mutateJson(child, path.slice(1), replacement)
  return copy
}

/** Replace (or add) the value at a path of keys; a copy, the original untouched: for mutating real records by name. */
export function setAt(value: unknown, path: ReadonlyArray<string | number>, replacement: unknown): unknown {
  if (path.length === 0) return replacement
  const [key, ...rest] = path
  const copy = (Array.isArray(value) ? [...(value as unknown[])] : value !== null && typeof value === 'object' ? { ...(value as Record<string, unknown>) } : {}) as Record<string | number, unknown>
  copy[key!] = setAt(copy[key!], rest, replacement)
  return copy
}

/**
 * JSON values of the wrong kind for a field that should hold a string, as a hostile or broken producer writes them:
 * objects whose toString/valueOf are not functions (String() of them throws), containers, other primitives, lone
 * UTF-16 surrogates (legal in JSON as \ud800) and a 100 KB string.
 */
export const WRONG_TYPED: ReadonlyArray<[string, unknown]> = [
  ['an object with a toString key', { toString: 1 }],
  ['an object with toString and valueOf keys', { toString: 'x', valueOf: {} }],
  ['an object with constructor and __proto__ keys', JSON.parse('{"constructor":"x","__proto__":{"toString":1}}')],
  ['an array', [1, 'a', { toString: 1 }]],
  ['an empty object', {}],
  ['a number', 7],
  ['null', null],
  ['true', true],
  ['a lone high surrogate', '\ud800'],
  ['a lone low surrogate inside text', 'arn:aws:iam::111122223333:user/\udc00x'],
  ['a 100 KB string', 'x'.repeat(100_000)],
]

/** Every field the normaliser (describeActor, ecsResources, userAgent, subject, settings) reads, as paths in a record. */
export const NORMALISER_FIELDS: ReadonlyArray<ReadonlyArray<string | number>> = [
  ['eventType'], ['eventID'], ['readOnly'], ['userAgent'], ['sourceIPAddress'], ['recipientAccountId'], ['awsRegion'],
  ['sessionCredentialFromConsole'], ['resources'], ['additionalEventData'], ['additionalEventData', 'MFAUsed'],
  ['userIdentity'], ['userIdentity', 'type'], ['userIdentity', 'arn'], ['userIdentity', 'principalId'], ['userIdentity', 'accountId'],
  ['userIdentity', 'userName'], ['userIdentity', 'invokedBy'], ['userIdentity', 'accessKeyId'], ['userIdentity', 'sourceIdentity'],
  ['userIdentity', 'sessionContext'], ['userIdentity', 'sessionContext', 'sourceIdentity'], ['userIdentity', 'sessionContext', 'attributes'],
  ['userIdentity', 'sessionContext', 'attributes', 'mfaAuthenticated'], ['userIdentity', 'sessionContext', 'sessionIssuer'],
  ['userIdentity', 'sessionContext', 'sessionIssuer', 'arn'], ['userIdentity', 'sessionContext', 'sessionIssuer', 'userName'],
  ['requestParameters'], ['requestParameters', 'cluster'], ['requestParameters', 'clusterName'], ['requestParameters', 'service'],
  ['requestParameters', 'serviceName'], ['requestParameters', 'task'], ['requestParameters', 'taskDefinition'], ['requestParameters', 'family'],
  ['requestParameters', 'container'], ['requestParameters', 'containerDefinitions'], ['requestParameters', 'containerDefinitions', 0],
  ['requestParameters', 'containerDefinitions', 0, 'name'],
  ['responseElements'], ['responseElements', 'service'], ['responseElements', 'service', 'clusterArn'], ['responseElements', 'service', 'serviceName'],
  ['responseElements', 'service', 'taskDefinition'], ['responseElements', 'cluster'], ['responseElements', 'cluster', 'clusterName'],
  ['responseElements', 'clusterArn'], ['responseElements', 'taskDefinition'], ['responseElements', 'taskDefinition', 'family'],
  ['responseElements', 'taskDefinition', 'revision'], ['responseElements', 'containerName'], ['responseElements', 'taskArn'],
]

/** Every record field an alert shows (buildAlert, requestDetails, consoleLinks), beyond those the normaliser reads. */
export const RENDER_FIELDS: ReadonlyArray<ReadonlyArray<string | number>> = [
  ['eventName'], ['eventTime'], ['eventSource'], ['errorCode'], ['errorMessage'],
  ...[
    'desiredCount', 'enableExecuteCommand', 'launchType', 'count', 'command', 'interactive', 'settings', 'capacityProviders', 'name', 'value',
    'principalArn', 'capacityProvider', 'networkMode', 'pidMode', 'cpu', 'taskRoleArn', 'reason', 'force', 'containerInstances',
  ].map((k) => ['requestParameters', k]),
  ['requestParameters', 'networkConfiguration', 'awsvpcConfiguration', 'assignPublicIp'], ['requestParameters', 'overrides', 'taskRoleArn'],
  ...['image', 'privileged', 'command', 'entryPoint', 'environment', 'linuxParameters'].map((k) => ['requestParameters', 'containerDefinitions', 0, k]),
  ['requestParameters', 'containerDefinitions', 0, 'environment', 0], ['requestParameters', 'containerDefinitions', 0, 'environment', 0, 'name'],
  ['requestParameters', 'containerDefinitions', 0, 'linuxParameters', 'capabilities', 'add'],
  ['requestParameters', 'containerDefinitions', 0, 'linuxParameters', 'capabilities', 'add', 0],
  ['requestParameters', 'containerDefinitions', 1, 'command', 0], ['requestParameters', 'volumes'], ['requestParameters', 'volumes', 0, 'host', 'sourcePath'],
]

/** Add a key to the mapping a path reaches (numbers pick children modulo their count, as in mutateJson); in a list, a new item. */
export function insertKey(value: unknown, path: readonly number[], key: string, inserted: unknown): unknown {
  const single = (): Record<string, unknown> => Object.defineProperty({}, key, { value: inserted, enumerable: true, writable: true, configurable: true })
  if (value === null || typeof value !== 'object') return single()
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v: unknown, i) => [i, v]) : Object.entries(value)
  const child = path.length > 0 && entries.length > 0 ? entries[path[0]! % entries.length] : undefined
  if (Array.isArray(value)) {
    const copy = [...(value as unknown[])]
    if (child && child[1] !== null && typeof child[1] === 'object') copy[child[0] as number] = insertKey(child[1], path.slice(1), key, inserted)
    else copy.push(single())
    return copy
  }
  const copy = { ...(value as Record<string, unknown>) }
  if (child && child[1] !== null && typeof child[1] === 'object') copy[child[0]] = insertKey(child[1], path.slice(1), key, inserted)
  else Object.defineProperty(copy, key, { value: inserted, enumerable: true, writable: true, configurable: true })
  return copy
}
