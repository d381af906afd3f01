// The id every route and body accepts. Apart from domain.ts so that the renderer, which uses
// the domain's types and constants, does not load zod.
import { z } from 'zod'

export const idSchema = z.string().min(1).max(100)
