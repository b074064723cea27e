import { describeStoreConformance } from '../../support/store-conformance/describe-store-conformance';
import { makeTempDir } from '../../support/test-container';

// The storage port's contract, run against the store on a data folder's files.
describeStoreConformance({ name: 'the file store (a data folder)', fresh: async () => ({ type: 'file', dataDir: await makeTempDir('agentcfg-store-') }) });
