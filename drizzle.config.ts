import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'sqlite',
  schema: './electron/core/store/schema.ts',
  out: './electron/core/store/migrations',
})
