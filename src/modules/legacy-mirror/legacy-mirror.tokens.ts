/** The Firestore client of the mirror (GOOGLE_CLOUD_PROJECT, FIRESTORE_DATABASE_ID, FIRESTORE_EMULATOR_HOST). */
export const LEGACY_MIRROR_FIRESTORE = Symbol('LEGACY_MIRROR_FIRESTORE');
/** The FirestoreProjectionStore holding the mirror's documents and checkpoint. */
export const LEGACY_MIRROR_STORE = Symbol('LEGACY_MIRROR_STORE');
