/** An image reference's parts (Docker's reference grammar: [registry/]repository[:tag][@digest]). */
export interface ImageRef {
  registry: string
  repository: string
  tag?: string
  digest?: string
}

/**
 * Split an image reference. The first path component is a registry when it holds a dot or a colon or is
 * `localhost` (Docker's rule); otherwise the image is on Docker Hub (`docker.io`).
 */
export function imageRef(image: string): ImageRef {
  const at = image.indexOf('@')
  const digest = at >= 0 ? image.slice(at + 1) : undefined
  const name = at >= 0 ? image.slice(0, at) : image
  const slash = name.indexOf('/')
  const first = slash >= 0 ? name.slice(0, slash) : ''
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost')
  const registry = hasRegistry ? first : 'docker.io'
  const rest = hasRegistry ? name.slice(slash + 1) : name
  const colon = rest.lastIndexOf(':')
  const ref: ImageRef = { registry, repository: colon > rest.lastIndexOf('/') && colon >= 0 ? rest.slice(0, colon) : rest }
  if (colon > rest.lastIndexOf('/') && colon >= 0) ref.tag = rest.slice(colon + 1)
  if (digest) ref.digest = digest
  return ref
}
