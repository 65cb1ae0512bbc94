import { describeStorageContract } from '../../../../test/support/storage.contract.js';
import { postgresStorageFactory } from '../../../../test/support/postgres-storage.factory.js';

describe('PostgreSQL storage (contract)', () => {
  describeStorageContract(postgresStorageFactory);
});
