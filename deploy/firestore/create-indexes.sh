#!/usr/bin/env bash
# Creates what EVENT_STORE=firestore needs in a Firestore database beyond Firestore's automatic
# single-field indexes (docs/firestore.md#deploy):
#   - three composite indexes on the events collection (stream reads, the log read by type, the
#     sequencer's pending-events query);
#   - a TTL policy on the idempotency keys' expireAt field (Firestore deletes expired keys within
#     about a day; Shotclock already treats a key past its expiry as absent);
#   - no single-field index on what nothing queries: the events' `data` and `metadata` (JSON
#     text) and `recordedAt` (a rising timestamp: indexed, it would cap the collection's write
#     rate like any sequential value).
# Run it again after a change: what exists is left as it is (gcloud reports it as already there).
#
#   PROJECT=my-project deploy/firestore/create-indexes.sh
#
# Variables (defaults in brackets):
#   PROJECT   the GCP project id (required)
#   DATABASE  = Shotclock's FIRESTORE_DATABASE_ID [(default)]
#   PREFIX    = Shotclock's FIRESTORE_COLLECTION_PREFIX [shotclock_]
set -euo pipefail

: "${PROJECT:?set PROJECT to the GCP project id}"
DATABASE="${DATABASE:-(default)}"
PREFIX="${PREFIX:-shotclock_}"
EVENTS="${PREFIX}events"

gc() { gcloud --project="$PROJECT" firestore "$@" --database="$DATABASE"; }

composite() {
  local fields=()
  for field in "$@"; do fields+=("--field-config=field-path=${field},order=ascending"); done
  gc indexes composite create --collection-group="$EVENTS" --query-scope=collection \
    "${fields[@]}" --async || echo "index on ${EVENTS} ($*) exists or failed: see the line above"
}

# readStream: streamId == s, streamVersion >= v, ordered by streamVersion.
composite streamId streamVersion
# readAll with types: type in [...], gpos > p, ordered by gpos.
composite type gpos
# The sequencer: gpos == null, ordered by streamId then streamVersion.
composite gpos streamId streamVersion

gc fields ttls update expireAt --collection-group="${PREFIX}idempotency_keys" --enable-ttl --async
for field in data metadata recordedAt; do
  gc indexes fields update "$field" --collection-group="$EVENTS" --disable-indexes --async
done
echo "requested; indexes build in the background: gcloud firestore indexes composite list --project=$PROJECT"
