import { describeStoreConformance } from '../../support/store-conformance/describe-store-conformance';
import { sharedCluster, stopSharedCluster } from '../../support/postgres/throwaway-cluster';

// The storage port's contract, run against the PostgreSQL store: each test on a fresh database of one throwaway
// server, the app connecting as a role that may not change the schema.
describeStoreConformance({
  name: 'the PostgreSQL store',
  fresh: async () => ({ type: 'postgres', ...(await (await sharedCluster()).newDatabase()) }),
});

after(async function () {
  await stopSharedCluster();
});
