export type PgServer = { host: string; port: number; user: string; password: string }

export type RunningPostgres = {
  server: PgServer
  /** DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD for @medusajs/test-utils. */
  env: Record<string, string>
  embedded: boolean
  stop(): Promise<void>
}

export function ensurePostgres(options?: { log?: (message: string) => void }): Promise<RunningPostgres>
export function databaseUrl(server: PgServer, database: string): string
export function configuredServer(env?: NodeJS.ProcessEnv): PgServer
