/**
 * append_events as migration 5 created it, kept verbatim: applied migrations are never edited.
 * Migration 6 replaces it (see postgres-append-function.ts for the current function and why).
 */
export const APPEND_EVENTS_FUNCTION_V5 = `
  CREATE FUNCTION append_events(
    stream_ids text[], expected_versions integer[],
    event_streams integer[], event_offsets integer[], event_ids text[], event_types text[],
    event_data json[], event_metadata json[],
    idempotency_key text, key_fingerprint text, recorded_at timestamptz,
    now_ms bigint, key_expires_at_ms bigint
  ) RETURNS json LANGUAGE plpgsql AS $fn$
  DECLARE
    current_versions integer[];
    stored idempotency_keys%ROWTYPE;
    first_position bigint;
    last_position bigint;
    writer_xid text;
    streams json;
    outcome json;
  BEGIN
    IF idempotency_key IS NOT NULL THEN
      SELECT * INTO stored FROM idempotency_keys k
        WHERE k.key = idempotency_key AND k.expires_at_ms > now_ms;
      IF FOUND THEN
        RETURN json_build_object('duplicate', true, 'result', stored.result,
                                 'fingerprint', stored.fingerprint);
      END IF;
    END IF;

    SELECT array_agg(coalesce(
             (SELECT max(e.stream_version) FROM events e WHERE e.stream_id = s.id), 0) ORDER BY s.ord)
      INTO current_versions
      FROM unnest(stream_ids) WITH ORDINALITY AS s(id, ord);
    FOR i IN 1 .. cardinality(stream_ids) LOOP
      IF expected_versions[i] IS NOT NULL AND expected_versions[i] <> current_versions[i] THEN
        RAISE EXCEPTION 'stream % is at version %, not %',
            stream_ids[i], current_versions[i], expected_versions[i]
          USING ERRCODE = 'SC409',
                DETAIL = json_build_object('stream', i, 'actual', current_versions[i])::text;
      END IF;
    END LOOP;

    IF cardinality(event_ids) > 0 THEN
      WITH inserted AS (
        INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, recorded_at)
        SELECT e.id, stream_ids[e.stream], current_versions[e.stream] + e.place, e.type, e.data,
               e.metadata, append_events.recorded_at
        FROM unnest(event_streams, event_offsets, event_ids, event_types, event_data, event_metadata)
          WITH ORDINALITY AS e(stream, place, id, type, data, metadata, ord)
        ORDER BY e.ord
        RETURNING global_position
      )
      SELECT min(global_position), max(global_position) INTO first_position, last_position
        FROM inserted;
      writer_xid := pg_current_xact_id()::text;
    END IF;

    -- One stream (nearly every append) takes the plain expression, which PL/pgSQL evaluates
    -- without starting the executor; several streams group their events with subqueries.
    IF cardinality(stream_ids) = 1 THEN
      streams := json_build_array(json_build_object(
        'streamId', stream_ids[1],
        'streamVersion', current_versions[1] + cardinality(event_ids),
        'eventIds', to_json(event_ids)));
    ELSE
      SELECT json_agg(json_build_object(
               'streamId', s.id,
               'streamVersion', current_versions[s.ord]
                 + (SELECT count(*) FROM unnest(event_streams) AS n WHERE n = s.ord),
               'eventIds', (
                 SELECT coalesce(json_agg(e.id ORDER BY e.ord), '[]'::json)
                 FROM unnest(event_streams, event_ids) WITH ORDINALITY AS e(stream, id, ord)
                 WHERE e.stream = s.ord)
             ) ORDER BY s.ord)
        INTO streams
        FROM unnest(stream_ids) WITH ORDINALITY AS s(id, ord);
    END IF;
    outcome := json_build_object(
      'streams', streams,
      'firstPosition', lpad(writer_xid, 20, '0') || lpad(first_position::text, 20, '0'),
      'lastPosition', lpad(writer_xid, 20, '0') || lpad(last_position::text, 20, '0'),
      'duplicate', false);

    IF idempotency_key IS NOT NULL THEN
      INSERT INTO idempotency_keys AS k (key, result, fingerprint, created_at, expires_at_ms)
      VALUES (idempotency_key, outcome, key_fingerprint, append_events.recorded_at, key_expires_at_ms)
      ON CONFLICT (key) DO UPDATE SET result = excluded.result, fingerprint = excluded.fingerprint,
        created_at = excluded.created_at, expires_at_ms = excluded.expires_at_ms
      WHERE k.expires_at_ms <= now_ms;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'idempotency key % was stored by a concurrent append', idempotency_key
          USING ERRCODE = 'SC408';
      END IF;
    END IF;

    RETURN json_build_object(
      'duplicate', false, 'result', outcome, 'transactionId', writer_xid,
      'xmin', pg_snapshot_xmin(pg_current_snapshot())::text,
      'visible', writer_xid IS NULL OR pg_snapshot_xmin(pg_current_snapshot()) >= pg_current_xact_id());
  END
  $fn$;
`;
