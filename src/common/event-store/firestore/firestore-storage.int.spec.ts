import { firestoreStorageFactory } from '../../../../test/support/firestore-storage.factory.js';
import { describeStorageContract } from '../../../../test/support/storage.contract.js';

describe('Firestore storage (contract)', () => {
  describeStorageContract(firestoreStorageFactory);
});
