import { describeStorageContract } from '../../../../test/support/storage.contract.js';
import { sqliteStorageFactory } from '../../../../test/support/sqlite-storage.factory.js';

describe('SQLite storage (contract)', () => {
  describeStorageContract(sqliteStorageFactory);
});
