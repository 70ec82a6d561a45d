import { App } from 'aws-cdk-lib'
import { ForwarderStack } from '../lib/forwarderStack.js'
import { TrailwardenStack } from '../lib/trailwardenStack.js'
import eventPattern from '../lib/eventPattern.json' with { type: 'json' }

/** The CDK app: `npx cdk deploy Trailwarden` in the central account, `TrailwardenForwarder` in member accounts. */
export function buildApp(app = new App()): App {
  new TrailwardenStack(app, 'Trailwarden', { eventPattern })
  new ForwarderStack(app, 'TrailwardenForwarder', { eventPattern })
  return app
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) buildApp().synth()
