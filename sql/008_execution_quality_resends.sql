-- 008: the execution-quality view (007) no longer counts a client's resent order as a second arrival.
-- After a gateway crash lost its incoming sequence number, the client resends its orders with
-- PossDupFlag=Y; one the gateway already had is answered with the order's status (a 'status-answered' row
-- whose text starts "resend (PossDupFlag=Y)", in the same journal batch as the resend's 'new' row) and is
-- not an order of its own. 007 listed it as an order with outcome 'unanswered'. A resend the gateway did not
-- have is taken as a new order and still counts, once.
--
-- Only the view changes; its columns are 007's, so the functions built on it stand. Idempotent.

CREATE OR REPLACE VIEW audit.execution_orders_v WITH (security_invoker = true) AS
WITH journal_order AS (
  -- Client orders and the three rows that can be their immediate outcome (a status answer: to a resend), in
  -- journal order. Partitioned by trade_date (a batch never spans days: its rows share one ts_us) so that a
  -- filter on trade_date reaches the partitions.
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
   WHERE e.event_type IN ('new', 'routed', 'rejected', 'status-answered')
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
     -- Not a resend the gateway answered with the order's status (PossDupFlag=Y, an order it already had):
     -- that order arrived once, at its first 'new'.
     AND NOT coalesce(j.next_ts_us = j.ts_us AND j.next_event_type = 'status-answered'
                      AND j.next_session = j.session AND j.next_cl_ord_id = j.cl_ord_id
                      AND j.next_text LIKE 'resend (PossDupFlag=Y)%', false)
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

GRANT SELECT ON audit.execution_orders_v TO fixgate_compliance;
