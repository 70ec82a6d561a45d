import { z } from 'zod'

/** The keys an object schema allows at a path (for "did you mean" on unknown keys). */
export function schemaKeysAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): string[] {
  let current: z.ZodType | undefined = schema
  for (const segment of [...path, null]) {
    current = unwrap(current)
    if (current instanceof z.ZodObject) {
      if (segment === null) return Object.keys(current.shape)
      current = (current.shape as Record<string, z.ZodType | undefined>)[String(segment)]
    } else if (current instanceof z.ZodArray) {
      current = current.element as z.ZodType
    } else if (current instanceof z.ZodRecord) {
      current = current.valueType as z.ZodType
    } else if (current instanceof z.ZodUnion) {
      const objects = (current.options as z.ZodType[]).map(unwrap).filter((o) => o instanceof z.ZodObject)
      current = objects[0]
    } else return []
  }
  return []
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let s = schema
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType
  return s
}
