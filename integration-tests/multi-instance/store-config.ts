/**
 * medusa-config of the throwaway store the multi-instance test and script boot as separate processes
 * (`.tmp/multi-instance-*` re-exports it). Every process loads this same file, so every process gets the
 * same provider options; only MEDUSA_WORKER_MODE (server | worker | shared) and the port differ.
 *
 *   MULTI_INSTANCE_MODULES=redis                (default) Redis event bus, workflow engine and locking, redisUrl
 *   MULTI_INSTANCE_MODULES=redis-local-locking  the same, but locks stay in-memory (one lock table per process)
 *   MULTI_INSTANCE_MODULES=memory               Medusa's in-memory defaults (each process believes it is alone)
 *   EVENT_BUS_CONCURRENCY=N                     events each process handles at once (BullMQ; Medusa's default 1)
 *
 * The plugin is the repository's own source (`src/` of the store is a link to it): its provider, its
 * webhook route and its reconciliation job, exactly as `medusa plugin:build` would ship them.
 */
import { defineConfig } from "@medusajs/framework/utils"

const REDIS_URL = process.env.REDIS_URL
const modules = process.env.MULTI_INSTANCE_MODULES ?? "redis"
const useRedis = modules !== "memory"
const useRedisLocking = modules === "redis"
if (useRedis && !REDIS_URL) throw new Error("REDIS_URL is required with MULTI_INSTANCE_MODULES=redis")
// Queue and lock names of this run, so that a Redis shared with other runs (REDIS_URL) keeps them apart.
const prefix = process.env.MULTI_INSTANCE_REDIS_PREFIX ?? "medusa"

const redisLocking = {
  resolve: "@medusajs/medusa/locking",
  options: {
    providers: [
      {
        resolve: "@medusajs/medusa/locking-redis",
        id: "locking-redis",
        is_default: true,
        options: { redisUrl: REDIS_URL, namespace: `${prefix}_lock:` },
      },
    ],
  },
}

const redisModules = [
  {
    resolve: "@medusajs/medusa/event-bus-redis",
    options: {
      redisUrl: REDIS_URL,
      queueName: `${prefix}-events-queue`,
      ...(process.env.EVENT_BUS_CONCURRENCY
        ? { workerOptions: { concurrency: Number(process.env.EVENT_BUS_CONCURRENCY) } }
        : {}),
    },
  },
  {
    resolve: "@medusajs/medusa/workflow-engine-redis",
    options: {
      redis: {
        redisUrl: REDIS_URL,
        queueName: `${prefix}-workflows`,
        jobQueueName: `${prefix}-workflows-jobs`,
      },
    },
  },
]

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    ...(useRedis ? { redisUrl: REDIS_URL } : {}),
    // workerMode is not set here: each process takes MEDUSA_WORKER_MODE from its environment.
    http: {
      storeCors: "http://localhost:8000",
      adminCors: "http://localhost:9000",
      authCors: "http://localhost:8000,http://localhost:9000",
      jwtSecret: process.env.JWT_SECRET ?? "multi-instance-test",
      cookieSecret: process.env.COOKIE_SECRET ?? "multi-instance-test",
    },
  },
  admin: { disable: true },
  modules: [
    ...(useRedis ? redisModules : []),
    ...(useRedisLocking ? [redisLocking] : []),
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          {
            resolve: "./src/providers/vipps",
            id: "vipps",
            options: {
              apiBaseUrl: process.env.VIPPS_API_BASE_URL,
              clientId: "sim-client-id",
              clientSecret: "sim-client-secret",
              subscriptionKey: "sim-subscription-key",
              merchantSerialNumber: "123456",
              referencePrefix: "multi",
              returnUrl:
                "http://localhost:8000/checkout/vipps/return?reference={reference}&cart_id={cart_id}",
              webhookSecret: process.env.VIPPS_WEBHOOK_SECRET,
              reconcileAfterSeconds: Number(process.env.VIPPS_RECONCILE_AFTER_SECONDS ?? 60),
              maxAttempts: 4,
              timeoutMs: 5_000,
            },
          },
        ],
      },
    },
  ],
})
