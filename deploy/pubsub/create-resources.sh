#!/usr/bin/env bash
# Creates, or brings up to date, the Pub/Sub resources Shotclock uses (docs/deploy.md#pubsub):
#   - the topics it reads (upstream completions) and publishes to (phase 3, phase 5), and a
#     dead-letter topic with a subscription that keeps what lands there;
#   - one subscription per push route, push (to SERVICE_URL with an OIDC token of PUSH_SA) or pull
#     (for the pull worker), each with ack deadline 600 s, retention 7 days, and dead-lettering
#     after 5 delivery attempts;
#   - the IAM bindings these need.
# Run it again after a change: existing resources are updated, not recreated.
#
#   PROJECT=my-project REGION=europe-west1 SERVICE_URL=https://shotclock-xyz.a.run.app \
#     deploy/pubsub/create-resources.sh
#
# Variables (defaults in brackets):
#   PROJECT                  the GCP project id (required)
#   REGION                   where messages are stored (required)
#   DELIVERY                 push or pull [push]
#   SERVICE_URL              the service's base URL, required with DELIVERY=push
#   PUSH_SA                  the push subscriptions' token account [shotclock-push@PROJECT.iam.gserviceaccount.com]
#   PUSH_AUDIENCE            the tokens' audience, = PUSH_AUTH_AUDIENCE [shotclock-push]
#   RUNTIME_SA               Shotclock's own account [shotclock@PROJECT.iam.gserviceaccount.com]
#   PHASE2_SOURCE_TOPIC      upstream phase-2 completions [nba-phase2-raw-complete]
#   PREDICTION_SOURCE_TOPIC  upstream prediction completions [prediction-ready]
#   PHASE3_TOPIC             = Shotclock's PHASE3_TOPIC [nba-phase3-trigger]
#   PHASE5_TOPIC             = Shotclock's PHASE5_TOPIC [nba-phase5-predictions-complete]
#   DEAD_LETTER_TOPIC        [shotclock-dead-letter]
set -euo pipefail

: "${PROJECT:?set PROJECT to the GCP project id}"
: "${REGION:?set REGION to the region that stores the messages, e.g. europe-west1}"
DELIVERY="${DELIVERY:-push}"
PUSH_SA="${PUSH_SA:-shotclock-push@${PROJECT}.iam.gserviceaccount.com}"
PUSH_AUDIENCE="${PUSH_AUDIENCE:-shotclock-push}"
RUNTIME_SA="${RUNTIME_SA:-shotclock@${PROJECT}.iam.gserviceaccount.com}"
PHASE2_SOURCE_TOPIC="${PHASE2_SOURCE_TOPIC:-nba-phase2-raw-complete}"
PREDICTION_SOURCE_TOPIC="${PREDICTION_SOURCE_TOPIC:-prediction-ready}"
PHASE3_TOPIC="${PHASE3_TOPIC:-nba-phase3-trigger}"
PHASE5_TOPIC="${PHASE5_TOPIC:-nba-phase5-predictions-complete}"
DEAD_LETTER_TOPIC="${DEAD_LETTER_TOPIC:-shotclock-dead-letter}"

# A handler still failing at the 5th attempt quarantines the message itself
# (PUSH_MAX_DELIVERY_ATTEMPTS=5); the dead-letter topic catches what never reached it.
ACK_DEADLINE_SECONDS=600
RETENTION=7d
MAX_DELIVERY_ATTEMPTS=5

case "$DELIVERY" in
  push) : "${SERVICE_URL:?set SERVICE_URL to the service URL (DELIVERY=push)}" ;;
  pull) ;;
  *)
    echo "DELIVERY=$DELIVERY: expected push or pull" >&2
    exit 2
    ;;
esac
SERVICE_URL="${SERVICE_URL:-}"
SERVICE_URL="${SERVICE_URL%/}"

exists() { gcloud pubsub "$1" describe "$2" --project="$PROJECT" >/dev/null 2>&1; }

ensure_topic() {
  local topic="$1"
  if exists topics "$topic"; then
    echo "topic $topic: exists"
  else
    gcloud pubsub topics create "$topic" --project="$PROJECT" \
      --message-storage-policy-allowed-regions="$REGION"
  fi
}

# ensure_subscription NAME TOPIC [ROUTE]: ROUTE (the last segment of /v1/push/<route>) makes it a
# push subscription when DELIVERY=push; without ROUTE it is the dead-letter keeper.
ensure_subscription() {
  local name="$1" topic="$2" route="${3:-}"
  local flags=(
    --project="$PROJECT"
    --ack-deadline="$ACK_DEADLINE_SECONDS"
    --message-retention-duration="$RETENTION"
  )
  if [[ -n "$route" ]]; then
    flags+=(
      --dead-letter-topic="projects/${PROJECT}/topics/${DEAD_LETTER_TOPIC}"
      --max-delivery-attempts="$MAX_DELIVERY_ATTEMPTS"
      --min-retry-delay=10s
      --max-retry-delay=600s
    )
    if [[ "$DELIVERY" == push ]]; then
      flags+=(
        --push-endpoint="${SERVICE_URL}/v1/push/${route}"
        --push-auth-service-account="$PUSH_SA"
        --push-auth-token-audience="$PUSH_AUDIENCE"
      )
    fi
  fi
  if exists subscriptions "$name"; then
    gcloud pubsub subscriptions update "$name" "${flags[@]}"
    if [[ -n "$route" && "$DELIVERY" == pull ]]; then
      # An empty endpoint turns a push subscription into a pull one.
      gcloud pubsub subscriptions modify-push-config "$name" --project="$PROJECT" --push-endpoint=""
    fi
  else
    gcloud pubsub subscriptions create "$name" --topic="$topic" "${flags[@]}"
  fi
}

PROJECT_NUMBER="$(gcloud projects describe "$PROJECT" --format='value(projectNumber)')"
PUBSUB_AGENT="serviceAccount:service-${PROJECT_NUMBER}@gcp-sa-pubsub.iam.gserviceaccount.com"

for topic in "$PHASE2_SOURCE_TOPIC" "$PREDICTION_SOURCE_TOPIC" "$PHASE3_TOPIC" "$PHASE5_TOPIC" \
  "$DEAD_LETTER_TOPIC"; do
  ensure_topic "$topic"
done

ensure_subscription shotclock-dead-letter "$DEAD_LETTER_TOPIC"
ensure_subscription shotclock-phase2-completions "$PHASE2_SOURCE_TOPIC" phase2-completions
ensure_subscription shotclock-prediction-completions "$PREDICTION_SOURCE_TOPIC" \
  prediction-completions

# Pub/Sub's own agent moves undeliverable messages to the dead-letter topic.
gcloud pubsub topics add-iam-policy-binding "$DEAD_LETTER_TOPIC" --project="$PROJECT" \
  --member="$PUBSUB_AGENT" --role=roles/pubsub.publisher >/dev/null
for subscription in shotclock-phase2-completions shotclock-prediction-completions; do
  gcloud pubsub subscriptions add-iam-policy-binding "$subscription" --project="$PROJECT" \
    --member="$PUBSUB_AGENT" --role=roles/pubsub.subscriber >/dev/null
  if [[ "$DELIVERY" == pull ]]; then
    gcloud pubsub subscriptions add-iam-policy-binding "$subscription" --project="$PROJECT" \
      --member="serviceAccount:${RUNTIME_SA}" --role=roles/pubsub.subscriber >/dev/null
  fi
done
if [[ "$DELIVERY" == push ]]; then
  # Lets Pub/Sub mint the push tokens of PUSH_SA.
  gcloud iam service-accounts add-iam-policy-binding "$PUSH_SA" --project="$PROJECT" \
    --member="$PUBSUB_AGENT" --role=roles/iam.serviceAccountTokenCreator >/dev/null
fi
# Shotclock publishes the phase-3 trigger and the phase-5 message, and checks at boot that their
# topics exist (GET /v1/outbox and /health/ready name a missing one).
for topic in "$PHASE3_TOPIC" "$PHASE5_TOPIC"; do
  for role in roles/pubsub.publisher roles/pubsub.viewer; do
    gcloud pubsub topics add-iam-policy-binding "$topic" --project="$PROJECT" \
      --member="serviceAccount:${RUNTIME_SA}" --role="$role" >/dev/null
  done
done

echo "Pub/Sub resources of project $PROJECT are in place ($DELIVERY delivery)."
if [[ "$DELIVERY" == push ]]; then
  echo "Shotclock: PUSH_AUTH_AUDIENCE=$PUSH_AUDIENCE PUSH_AUTH_SERVICE_ACCOUNTS=$PUSH_SA"
fi
