import { z } from 'zod'

/** The JSON Schema of a loader schema, generated from the loader's own zod schema so they cannot drift. */
export function jsonSchemaOf(schema: z.ZodType, title: string): Record<string, unknown> {
  return { title, ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) }
}
