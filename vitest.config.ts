import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The long fault-injection runs (kill -9 under load, a five-minute outage) are npm run test:faults.
    exclude: process.env.FAULTS_LONG ? ['**/node_modules/**'] : ['**/node_modules/**', 'test/faults/long/**'],
    globalSetup: ['test/globalSetup.ts'],
    // Integration tests start real servers on loopback; keep a margin over their own waits.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // The image runs Node 22; on these Node 20 machines the SDK's end-of-support notice is only noise.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
})
