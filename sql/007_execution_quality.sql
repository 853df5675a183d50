-- 007: execution quality (issue 7, point 4): per venue and per client session, over a time range, how fast
-- venues acknowledge, how much of what was ordered got filled, what was rejected and why, how long fills
-- took, and the slippage of the fill prices against the reference price at arrival (risk_decisions.
-- arrival_price, added by 006). sql/README.md, "Execution quality", is the contract; fixgate-exec-quality
-- prints it as a table, CSV, JSON and an SVG plot.
--
-- * audit.execution_orders_v: one row per client NewOrderSingle, with what became of it. Filter it on
--   trade_date (partitions are pruned) and arrival_us.
-- * audit.execution_quality(from, to, by) and audit.execution_rejects(from, to, by): the figures per venue,
--   per session or per both for the orders that arrived in [from, to). Functions rather than views because a
--   percentile over a range cannot be built from per-day percentiles.
--
-- How an order is followed through the audit tables (src/audit/rows.cpp writes them):
-- * The runtime journals an event together with the actions it caused, as one contiguous batch stamped with
--   the event's time. So the row of type 'routed' (the venue NewOrderSingle) or 'rejected' (refused by the
--   gateway) that follows a client 'new' in seq order - with the same ts_us - is that order's outcome, and
--   the risk decision with the same session, ClOrdID and ts_us is its pre-trade check.
-- * The venue's answers carry (venue, venue ClOrdID); the gateway's later reports to the client carry its
--   OrderID, the same across replaces: fills, and the rejects that follow a venue refusal (FG401) or an
--   acknowledgement timeout the venue never heard of (FG402).
-- * The venue NewOrderSingle's send time is that of the outgoing 35=D with 11=<venue ClOrdID> in the venue
--   session's fix_messages (session 'venue:<name>', stamped when QuickFIX sent it), looked for within 10 s
--   of the order's arrival on the same trade date; the order's arrival stands in when there is none.
--
-- Idempotent: safe to run twice.

CREATE OR REPLACE VIEW audit.execution_orders_v WITH (security_invoker = true) AS
WITH journal_order AS (
  -- Client orders and the two rows that can be their immediate outcome, in journal order. Partitioned by
  -- trade_date (a batch never spans days: its rows share one ts_us) so that a filter on trade_date reaches
  -- the partitions.
  SELECT e.trade_date, e.seq, e.ts_us, e.event_type, e.session, e.account, e.cl_ord_id, e.symbol, e.side,
         e.quantity,
         lead(e.ts_us) OVER w AS next_ts_us,
         lead(e.event_type) OVER w AS next_event_type,
         lead(e.session) OVER w AS next_session,
         lead(e.cl_ord_id) OVER w AS next_cl_ord_id,
         lead(e.account) OVER w AS next_account,
         lead(e.order_id) OVER w AS next_order_id,
         lead(e.venue) OVER w AS next_venue,
         lead(e.venue_cl_ord_id) OVER w AS next_venue_cl_ord_id,
         lead(e.quantity) OVER w AS next_quantity,
         lead(e.reject_code) OVER w AS next_reject_code,
         lead(e.text) OVER w AS next_text
    FROM audit.order_events e
   WHERE e.event_type IN ('new', 'routed', 'rejected')
  WINDOW w AS (PARTITION BY e.trade_date ORDER BY e.seq)
),
arrivals AS (
  SELECT j.trade_date, j.seq, j.ts_us, j.session, j.cl_ord_id, j.symbol, j.side,
         CASE
           WHEN j.next_ts_us = j.ts_us AND j.next_event_type = 'routed' THEN 'routed'
           WHEN j.next_ts_us = j.ts_us AND j.next_event_type = 'rejected' AND j.next_session = j.session
                AND j.next_cl_ord_id = j.cl_ord_id THEN 'rejected'
           ELSE 'unanswered'  -- not in the journal (it could not be written), or not shipped yet
         END AS outcome,
         j.account, j.quantity, j.next_ts_us, j.next_event_type, j.next_session, j.next_cl_ord_id,
         j.next_account, j.next_order_id, j.next_venue, j.next_venue_cl_ord_id, j.next_quantity,
         j.next_reject_code, j.next_text
    FROM journal_order j
   WHERE j.event_type = 'new'
),
orders AS (
  SELECT a.trade_date, a.seq, a.ts_us AS arrival_us,
         timestamptz 'epoch' + a.ts_us * interval '1 microsecond' AS arrival,
         a.session,
         CASE a.outcome WHEN 'unanswered' THEN a.account ELSE coalesce(a.next_account, a.account) END AS account,
         a.cl_ord_id, a.symbol, a.side, a.outcome,
         CASE WHEN a.outcome = 'routed' THEN a.next_order_id END AS order_id,
         CASE WHEN a.outcome = 'routed' THEN a.next_venue END AS venue,
         CASE WHEN a.outcome = 'routed' THEN a.next_venue_cl_ord_id END AS venue_cl_ord_id,
         CASE WHEN a.outcome = 'routed' THEN coalesce(a.next_quantity, a.quantity) ELSE a.quantity END
           AS requested_qty,
         CASE WHEN a.outcome = 'rejected' THEN a.next_reject_code END AS gateway_reject_code,
         CASE WHEN a.outcome = 'rejected' THEN a.next_text END AS gateway_reject_text
    FROM arrivals a
),
followed AS (
  SELECT o.*,
         risk.decision AS risk_decision,
         risk.arrival_price,
         sends.sent_us AS venue_sent_us,
         ack.venue_ack_us,
         life.filled_qty,
         life.filled_notional,
         life.first_fill_us,
         life.complete_fill_us,
         coalesce(life.last_quantity, o.requested_qty) AS ordered_qty,
         coalesce(o.gateway_reject_code, life.later_reject_code) AS reject_code,
         coalesce(o.gateway_reject_text, life.later_reject_text) AS reject_text,
         CASE
           WHEN o.gateway_reject_code IS NOT NULL THEN 'gateway'
           WHEN life.later_reject_code LIKE 'FG4%' THEN 'venue'
           WHEN life.later_reject_code IS NOT NULL THEN 'gateway'
         END AS reject_source
    FROM orders o
    LEFT JOIN LATERAL (
      SELECT d.decision, d.arrival_price
        FROM audit.risk_decisions d
       WHERE d.cl_ord_id = o.cl_ord_id AND d.session = o.session AND d.trade_date = o.trade_date
         AND d.ts_us = o.arrival_us AND d.seq > o.seq AND d.request = 'new'
       ORDER BY d.seq
       LIMIT 1
    ) risk ON true
    LEFT JOIN LATERAL (
      -- The venue session's messages are journaled as session 'venue:<name>'; its index (session, ts_us)
      -- is walked from the order's arrival to the NewOrderSingle with its ClOrdID, a few messages at most.
      SELECT m.ts_us AS sent_us
        FROM audit.fix_messages m
       WHERE m.session = 'venue:' || o.venue AND m.trade_date = o.trade_date
         AND m.ts_us >= o.arrival_us AND m.ts_us < o.arrival_us + 10000000
         AND m.direction = 'out' AND m.msg_type = 'D'
         AND strpos(m.raw, chr(1) || '11=' || o.venue_cl_ord_id || chr(1)) > 0
       ORDER BY m.ts_us
       LIMIT 1
    ) sends ON o.venue_cl_ord_id IS NOT NULL
    LEFT JOIN LATERAL (
      SELECT min(v.ts_us) AS venue_ack_us
        FROM audit.order_events v
       WHERE v.venue_cl_ord_id = o.venue_cl_ord_id AND v.venue = o.venue AND v.event_type = 'venue-accepted'
         AND v.trade_date >= o.trade_date
    ) ack ON o.venue_cl_ord_id IS NOT NULL
    LEFT JOIN LATERAL (
      SELECT sum(r.last_qty) FILTER (WHERE r.event_type IN ('partial-fill', 'fill')) AS filled_qty,
             sum(r.last_qty * r.last_px) FILTER (WHERE r.event_type IN ('partial-fill', 'fill'))
               AS filled_notional,
             min(r.ts_us) FILTER (WHERE r.event_type IN ('partial-fill', 'fill')) AS first_fill_us,
             min(r.ts_us) FILTER (WHERE r.event_type = 'fill') AS complete_fill_us,
             -- The quantity as last accepted: a replace may have changed it.
             (array_agg(r.quantity ORDER BY r.seq DESC)
                FILTER (WHERE r.event_type <> 'rejected' AND r.quantity IS NOT NULL))[1] AS last_quantity,
             (array_agg(r.reject_code ORDER BY r.seq) FILTER (WHERE r.event_type = 'rejected'))[1]
               AS later_reject_code,
             (array_agg(r.text ORDER BY r.seq) FILTER (WHERE r.event_type = 'rejected'))[1] AS later_reject_text
        FROM audit.order_events r
       WHERE r.order_id = o.order_id AND r.trade_date >= o.trade_date AND r.seq > o.seq
         AND r.event_type IN ('accepted', 'replaced', 'partial-fill', 'fill', 'canceled', 'expired',
                              'done-for-day', 'rejected')
    ) life ON o.order_id IS NOT NULL
)
SELECT f.trade_date, f.seq, f.arrival_us, f.arrival, f.session, f.account, f.cl_ord_id, f.order_id,
       f.symbol, f.side, f.venue, f.venue_cl_ord_id, f.outcome, f.risk_decision,
       f.reject_code, f.reject_text, f.reject_source,
       f.ordered_qty,
       coalesce(f.filled_qty, 0) AS filled_qty,
       CASE WHEN f.filled_qty > 0 THEN f.filled_notional / f.filled_qty END AS avg_fill_px,
       f.arrival_price,
       coalesce(f.venue_sent_us, CASE WHEN f.venue IS NOT NULL THEN f.arrival_us END) AS venue_sent_us,
       f.venue_ack_us,
       f.venue_ack_us - coalesce(f.venue_sent_us, f.arrival_us) AS ack_latency_us,
       f.first_fill_us,
       f.complete_fill_us,
       f.first_fill_us - f.arrival_us AS time_to_first_fill_us,
       f.complete_fill_us - f.arrival_us AS time_to_fill_us,
       -- Positive = worse for the client: a buy paid more, a sell received less than the arrival price.
       CASE WHEN f.filled_qty > 0 AND f.arrival_price > 0 THEN
         (CASE WHEN f.side = 'buy' THEN 1 ELSE -1 END)
           * (f.filled_notional / f.filled_qty - f.arrival_price) / f.arrival_price * 10000
       END AS slippage_bps
  FROM followed f;

-- The orders that arrived in [p_from, p_to): rows of audit.execution_orders_v, read from the day partitions
-- of the range only.
CREATE OR REPLACE FUNCTION audit.execution_orders(p_from timestamptz, p_to timestamptz)
RETURNS SETOF audit.execution_orders_v
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  from_us bigint;
  to_us bigint;
BEGIN
  IF p_from IS NULL OR p_to IS NULL OR p_to <= p_from THEN
    RAISE EXCEPTION 'execution quality: the time range [%, %) is empty', p_from, p_to
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Give a start before the end (UTC).';
  END IF;
  from_us := (extract(epoch FROM p_from) * 1000000)::bigint;
  to_us := (extract(epoch FROM p_to) * 1000000)::bigint;
  -- trade_date bounds first: only the day partitions of the range are read for the orders themselves.
  RETURN QUERY
    SELECT *
      FROM audit.execution_orders_v o
     WHERE o.trade_date >= (p_from AT TIME ZONE 'UTC')::date
       AND o.trade_date <= ((p_to - interval '1 microsecond') AT TIME ZONE 'UTC')::date
       AND o.arrival_us >= from_us AND o.arrival_us < to_us;
END;
$$;

CREATE OR REPLACE FUNCTION audit.execution_check_grouping(p_by text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF p_by IS NULL OR p_by NOT IN ('venue', 'session', 'both') THEN
    RAISE EXCEPTION 'execution quality: cannot group by "%"', p_by
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Group by venue, session or both.';
  END IF;
END;
$$;

-- The figures of the orders that arrived in [p_from, p_to), by p_by: 'venue', 'session' or 'both'. The group
-- columns not grouped by are NULL; venue is NULL too for the orders the gateway rejected before routing them.
-- Ratios are fractions (0.5 = 50 %), rounded to 6 places; times are microseconds; slippage is in basis
-- points. Fill figures count the working orders (routed and not rejected); the reject ratio counts every
-- order. Orders without an arrival price count everywhere but in slippage (filled_without_arrival_price).
CREATE OR REPLACE FUNCTION audit.execution_quality(p_from timestamptz, p_to timestamptz, p_by text)
RETURNS TABLE (
  venue text,
  session text,
  orders bigint,
  rejected bigint,
  rejected_by_gateway bigint,
  rejected_by_venue bigint,
  reject_ratio numeric,
  working bigint,
  ordered_qty numeric,
  filled_qty numeric,
  fill_ratio_qty numeric,
  orders_with_fill bigint,
  fill_ratio_orders numeric,
  orders_filled_fully bigint,
  acks bigint,
  ack_latency_p50_us double precision,
  ack_latency_p90_us double precision,
  ack_latency_p99_us double precision,
  time_to_first_fill_p50_us double precision,
  time_to_first_fill_p90_us double precision,
  time_to_fill_p50_us double precision,
  time_to_fill_p90_us double precision,
  slippage_orders bigint,
  slippage_bps_mean numeric,
  slippage_bps_p50 double precision,
  filled_without_arrival_price bigint)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM audit.execution_check_grouping(p_by);
  RETURN QUERY
    WITH o AS (
      SELECT CASE WHEN p_by IN ('venue', 'both') THEN x.venue END AS group_venue,
             CASE WHEN p_by IN ('session', 'both') THEN x.session END AS group_session,
             x.*,
             x.outcome = 'routed' AND x.reject_code IS NULL AS is_working
        FROM audit.execution_orders(p_from, p_to) x
    )
    SELECT o.group_venue, o.group_session,
           count(*),
           count(*) FILTER (WHERE o.reject_code IS NOT NULL),
           count(*) FILTER (WHERE o.reject_source = 'gateway'),
           count(*) FILTER (WHERE o.reject_source = 'venue'),
           round(count(*) FILTER (WHERE o.reject_code IS NOT NULL)::numeric / count(*), 6),
           count(*) FILTER (WHERE o.is_working),
           sum(o.ordered_qty) FILTER (WHERE o.is_working),
           sum(o.filled_qty) FILTER (WHERE o.is_working),
           round(sum(o.filled_qty) FILTER (WHERE o.is_working)
                   / nullif(sum(o.ordered_qty) FILTER (WHERE o.is_working), 0), 6),
           count(*) FILTER (WHERE o.is_working AND o.filled_qty > 0),
           round(count(*) FILTER (WHERE o.is_working AND o.filled_qty > 0)::numeric
                   / nullif(count(*) FILTER (WHERE o.is_working), 0), 6),
           count(*) FILTER (WHERE o.complete_fill_us IS NOT NULL),
           count(o.ack_latency_us),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY o.ack_latency_us),
           percentile_cont(0.9) WITHIN GROUP (ORDER BY o.ack_latency_us),
           percentile_cont(0.99) WITHIN GROUP (ORDER BY o.ack_latency_us),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY o.time_to_first_fill_us),
           percentile_cont(0.9) WITHIN GROUP (ORDER BY o.time_to_first_fill_us),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY o.time_to_fill_us),
           percentile_cont(0.9) WITHIN GROUP (ORDER BY o.time_to_fill_us),
           count(o.slippage_bps),
           round(avg(o.slippage_bps), 4),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY o.slippage_bps::double precision),
           count(*) FILTER (WHERE o.filled_qty > 0 AND o.arrival_price IS NULL)
      FROM o
     GROUP BY o.group_venue, o.group_session
     ORDER BY o.group_venue NULLS LAST, o.group_session NULLS LAST;
END;
$$;

-- Rejected orders per group and reject code, most frequent first: how many, their share of the group's
-- orders, who refused (gateway or venue), and the most common text (a venue's own words for FG401).
CREATE OR REPLACE FUNCTION audit.execution_rejects(p_from timestamptz, p_to timestamptz, p_by text)
RETURNS TABLE (
  venue text,
  session text,
  reject_code text,
  reject_source text,
  orders bigint,
  share_of_orders numeric,
  common_text text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM audit.execution_check_grouping(p_by);
  RETURN QUERY
    WITH o AS (
      SELECT CASE WHEN p_by IN ('venue', 'both') THEN x.venue END AS group_venue,
             CASE WHEN p_by IN ('session', 'both') THEN x.session END AS group_session,
             x.reject_code, x.reject_source, x.reject_text
        FROM audit.execution_orders(p_from, p_to) x
    ),
    totals AS (
      SELECT o.group_venue, o.group_session, count(*) AS group_orders
        FROM o
       GROUP BY 1, 2
    )
    SELECT o.group_venue, o.group_session, o.reject_code, min(o.reject_source), count(*),
           round(count(*)::numeric / min(t.group_orders), 6),
           mode() WITHIN GROUP (ORDER BY o.reject_text)
      FROM o
      JOIN totals t ON t.group_venue IS NOT DISTINCT FROM o.group_venue
                   AND t.group_session IS NOT DISTINCT FROM o.group_session
     WHERE o.reject_code IS NOT NULL
     GROUP BY o.group_venue, o.group_session, o.reject_code
     ORDER BY o.group_venue NULLS LAST, o.group_session NULLS LAST, count(*) DESC, o.reject_code;
END;
$$;

-- Compliance reads, as in 003: the view, and the functions (which read with the caller's rights).
GRANT USAGE ON SCHEMA audit TO fixgate_compliance;
GRANT SELECT ON audit.execution_orders_v TO fixgate_compliance;
REVOKE ALL ON FUNCTION audit.execution_orders(timestamptz, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit.execution_check_grouping(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit.execution_quality(timestamptz, timestamptz, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit.execution_rejects(timestamptz, timestamptz, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit.execution_orders(timestamptz, timestamptz) TO fixgate_compliance;
GRANT EXECUTE ON FUNCTION audit.execution_check_grouping(text) TO fixgate_compliance;
GRANT EXECUTE ON FUNCTION audit.execution_quality(timestamptz, timestamptz, text) TO fixgate_compliance;
GRANT EXECUTE ON FUNCTION audit.execution_rejects(timestamptz, timestamptz, text) TO fixgate_compliance;
