/**
 * The demo's asset connection: the two demo machines' operational data, bound through the `opcua:*` qualifiers
 * in environment.json to the simulator of `npm run opcua-sim`. Stored like a connection made over REST, so a
 * user can change or delete it there.
 */
import type { AssetConnectionConfig } from '../connectors/opcua/connection-config.js';

export const DEMO_CONNECTION_ID = 'demo-machines';

export function demoConnection(endpointUrl: string): AssetConnectionConfig {
  return {
    id: DEMO_CONNECTION_ID,
    endpointUrl,
    model: {
      submodelIds: [
        'https://example.com/ids/sm/mc5-23-00088/operational-data',
        'https://example.com/ids/sm/ra6-24-00417/operational-data',
      ],
    },
  };
}
