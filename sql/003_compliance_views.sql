-- 003: what compliance reads (sql/README.md is the contract).
--
-- * One view per audit table, audit.<table>_v: every column of the table, plus `ts timestamptz` right after
--   `ts_us`, computed exactly to the microsecond (no floating point is involved for any ts_us below 2^53 µs,
--   i.e. before year 2255). The views are security_invoker: a role reads through them only what it may read in
--   the tables themselves, so fixgate_writer still cannot read order_events through order_events_v.
-- * audit.order_life(cl_ord_id [, session]) and audit.order_life_by_venue_order_id(venue_order_id [, venue]):
--   the whole life of one order across every cancel/replace, client side and venue side, ordered by seq.
-- * An index on journal_records (seq) for `fixgate-audit verify`, which walks the chain in seq order across
--   every day partition (the order_events indexes these lookups use are in 001).
--
-- Idempotent: safe to run twice.

CREATE OR REPLACE VIEW audit.journal_records_v WITH (security_invoker = true) AS
SELECT trade_date, seq, ts_us, timestamptz 'epoch' + ts_us * interval '1 microsecond' AS ts,
       record_type, summary, hash
  FROM audit.journal_records;

CREATE OR REPLACE VIEW audit.fix_messages_v WITH (security_invoker = true) AS
SELECT trade_date, seq, ts_us, timestamptz 'epoch' + ts_us * interval '1 microsecond' AS ts,
       session, direction, msg_seq_num, msg_type, raw
  FROM audit.fix_messages;

CREATE OR REPLACE VIEW audit.order_events_v WITH (security_invoker = true) AS
SELECT trade_date, seq, ts_us, timestamptz 'epoch' + ts_us * interval '1 microsecond' AS ts,
       event_type, session, account, client_id, investment_decision, execution_decision, trading_capacity,
       cl_ord_id, orig_cl_ord_id, order_id, venue, venue_cl_ord_id, venue_order_id, exec_id, symbol, isin,
       security_id, security_id_source, mic, side, ord_type, limit_price, stop_price, quantity, currency,
       time_in_force, expire, short_sell, ord_status, last_qty, last_px, cum_qty, leaves_qty, avg_px,
       reject_code, text
  FROM audit.order_events;

CREATE OR REPLACE VIEW audit.risk_decisions_v WITH (security_invoker = true) AS
SELECT trade_date, seq, ts_us, timestamptz 'epoch' + ts_us * interval '1 microsecond' AS ts,
       session, account, cl_ord_id, symbol, request, decision, reject_code, text, limits_version
  FROM audit.risk_decisions;

CREATE OR REPLACE VIEW audit.config_versions_v WITH (security_invoker = true) AS
SELECT trade_date, seq, ts_us, timestamptz 'epoch' + ts_us * interval '1 microsecond' AS ts,
       kind, old_version, new_version, source, applied_by, content
  FROM audit.config_versions;

CREATE OR REPLACE VIEW audit.trading_state_changes_v WITH (security_invoker = true) AS
SELECT trade_date, seq, ts_us, timestamptz 'epoch' + ts_us * interval '1 microsecond' AS ts,
       scope, scope_key, from_state, to_state, changed_by, reason
  FROM audit.trading_state_changes;

-- fixgate-audit verify walks the journal in seq order across all day partitions.
CREATE INDEX IF NOT EXISTS journal_records_seq_idx ON audit.journal_records (seq);

-- The identifiers of one order, grown until nothing new turns up. Keys are scoped where the identifier is
-- only unique within a scope: a client's ClOrdID within its session, a venue's ids within the venue.
--   cl  : session || chr(31) || ClOrdID      (cl_ord_id and orig_cl_ord_id: replaces and cancels, both ways)
--   oid : the gateway's OrderID               (the same for every row of the order, client and venue side)
--   vcl : venue || chr(31) || venue ClOrdID
--   vo  : venue || chr(31) || venue OrderID
-- OrderID 'NONE' (what FIX puts on a reject of an unknown order) and empty ids link nothing.
CREATE OR REPLACE FUNCTION audit.order_life_closure(
    INOUT cl text[], INOUT oid text[], INOUT vcl text[], INOUT vo text[])
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  before_count int;
  cl_ids text[];
  vcl_ids text[];
  vo_ids text[];
  rounds int := 0;
BEGIN
  LOOP
    before_count := cardinality(cl) + cardinality(oid) + cardinality(vcl) + cardinality(vo);
    cl_ids := ARRAY(SELECT DISTINCT split_part(k, chr(31), 2) FROM unnest(cl) AS k);
    vcl_ids := ARRAY(SELECT DISTINCT split_part(k, chr(31), 2) FROM unnest(vcl) AS k);
    vo_ids := ARRAY(SELECT DISTINCT split_part(k, chr(31), 2) FROM unnest(vo) AS k);
    WITH hits AS (
      SELECT coalesce(e.session, '') AS s, coalesce(e.venue, '') AS v, e.cl_ord_id, e.orig_cl_ord_id,
             e.order_id, e.venue_cl_ord_id, e.venue_order_id
        FROM audit.order_events e
       WHERE (e.cl_ord_id = ANY (cl_ids) AND coalesce(e.session, '') || chr(31) || e.cl_ord_id = ANY (cl))
          OR (e.orig_cl_ord_id = ANY (cl_ids)
              AND coalesce(e.session, '') || chr(31) || e.orig_cl_ord_id = ANY (cl))
          OR e.order_id = ANY (oid)
          OR (e.venue_cl_ord_id = ANY (vcl_ids)
              AND coalesce(e.venue, '') || chr(31) || e.venue_cl_ord_id = ANY (vcl))
          OR (e.venue_order_id = ANY (vo_ids)
              AND coalesce(e.venue, '') || chr(31) || e.venue_order_id = ANY (vo))
    )
    SELECT ARRAY(SELECT k FROM unnest(cl) AS k
                 UNION SELECT s || chr(31) || cl_ord_id FROM hits WHERE cl_ord_id <> ''
                 UNION SELECT s || chr(31) || orig_cl_ord_id FROM hits WHERE orig_cl_ord_id <> ''),
           ARRAY(SELECT k FROM unnest(oid) AS k
                 UNION SELECT order_id FROM hits WHERE order_id <> '' AND order_id <> 'NONE'),
           ARRAY(SELECT k FROM unnest(vcl) AS k
                 UNION SELECT v || chr(31) || venue_cl_ord_id FROM hits WHERE venue_cl_ord_id <> ''),
           ARRAY(SELECT k FROM unnest(vo) AS k
                 UNION SELECT v || chr(31) || venue_order_id FROM hits
                        WHERE venue_order_id <> '' AND venue_order_id <> 'NONE')
      INTO cl, oid, vcl, vo
      FROM (SELECT 1) AS one;
    EXIT WHEN cardinality(cl) + cardinality(oid) + cardinality(vcl) + cardinality(vo) = before_count;
    rounds := rounds + 1;
    IF rounds > 1000 THEN
      RAISE EXCEPTION 'order life did not converge after 1000 rounds (% ids)', before_count;
    END IF;
  END LOOP;
END;
$$;

CREATE OR REPLACE FUNCTION audit.order_life_rows(cl text[], oid text[], vcl text[], vo text[])
RETURNS SETOF audit.order_events_v
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT v.*
    FROM audit.order_events_v v
   WHERE (v.cl_ord_id = ANY (ARRAY(SELECT split_part(k, chr(31), 2) FROM unnest(cl) AS k))
          AND coalesce(v.session, '') || chr(31) || v.cl_ord_id = ANY (cl))
      OR (v.orig_cl_ord_id = ANY (ARRAY(SELECT split_part(k, chr(31), 2) FROM unnest(cl) AS k))
          AND coalesce(v.session, '') || chr(31) || v.orig_cl_ord_id = ANY (cl))
      OR v.order_id = ANY (oid)
      OR (v.venue_cl_ord_id = ANY (ARRAY(SELECT split_part(k, chr(31), 2) FROM unnest(vcl) AS k))
          AND coalesce(v.venue, '') || chr(31) || v.venue_cl_ord_id = ANY (vcl))
      OR (v.venue_order_id = ANY (ARRAY(SELECT split_part(k, chr(31), 2) FROM unnest(vo) AS k))
          AND coalesce(v.venue, '') || chr(31) || v.venue_order_id = ANY (vo))
   ORDER BY v.seq;
$$;

-- The whole life of the order a client ClOrdID belongs to (any ClOrdID of it: the first, a replace's, a
-- cancel's), ordered by seq. p_session narrows the start to one client session when several clients used the
-- same ClOrdID.
CREATE OR REPLACE FUNCTION audit.order_life(p_cl_ord_id text, p_session text DEFAULT NULL)
RETURNS SETOF audit.order_events_v
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  cl text[];
  oid text[] := '{}';
  vcl text[] := '{}';
  vo text[] := '{}';
BEGIN
  SELECT ARRAY(SELECT DISTINCT coalesce(e.session, '') || chr(31) || p_cl_ord_id
                 FROM audit.order_events e
                WHERE (e.cl_ord_id = p_cl_ord_id OR e.orig_cl_ord_id = p_cl_ord_id)
                  AND (p_session IS NULL OR e.session = p_session))
    INTO cl;
  SELECT c.cl, c.oid, c.vcl, c.vo INTO cl, oid, vcl, vo FROM audit.order_life_closure(cl, oid, vcl, vo) c;
  RETURN QUERY SELECT * FROM audit.order_life_rows(cl, oid, vcl, vo);
END;
$$;

-- The same, starting from the venue's OrderID; p_venue narrows the start to one venue.
CREATE OR REPLACE FUNCTION audit.order_life_by_venue_order_id(p_venue_order_id text, p_venue text DEFAULT NULL)
RETURNS SETOF audit.order_events_v
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  cl text[] := '{}';
  oid text[] := '{}';
  vcl text[] := '{}';
  vo text[];
BEGIN
  SELECT ARRAY(SELECT DISTINCT coalesce(e.venue, '') || chr(31) || p_venue_order_id
                 FROM audit.order_events e
                WHERE e.venue_order_id = p_venue_order_id AND (p_venue IS NULL OR e.venue = p_venue))
    INTO vo;
  SELECT c.cl, c.oid, c.vcl, c.vo INTO cl, oid, vcl, vo FROM audit.order_life_closure(cl, oid, vcl, vo) c;
  RETURN QUERY SELECT * FROM audit.order_life_rows(cl, oid, vcl, vo);
END;
$$;

-- Compliance reads; nobody else gets the views or the functions (the views check the tables' grants too).
GRANT USAGE ON SCHEMA audit TO fixgate_compliance;
GRANT SELECT ON audit.journal_records_v, audit.fix_messages_v, audit.order_events_v, audit.risk_decisions_v,
                audit.config_versions_v, audit.trading_state_changes_v
   TO fixgate_compliance;
REVOKE ALL ON FUNCTION audit.order_life_closure(text[], text[], text[], text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit.order_life_rows(text[], text[], text[], text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit.order_life(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit.order_life_by_venue_order_id(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit.order_life_closure(text[], text[], text[], text[]) TO fixgate_compliance;
GRANT EXECUTE ON FUNCTION audit.order_life_rows(text[], text[], text[], text[]) TO fixgate_compliance;
GRANT EXECUTE ON FUNCTION audit.order_life(text, text) TO fixgate_compliance;
GRANT EXECUTE ON FUNCTION audit.order_life_by_venue_order_id(text, text) TO fixgate_compliance;
