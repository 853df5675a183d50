-- 006: the reference price in force for the symbol when each order was risk-checked (RTS 6 Art. 15 risk
-- decision; the benchmark the execution-quality report measures slippage against). NULL when the gateway
-- had none: no reference price configured and no trade seen yet. Decisions shipped before this migration
-- have NULL too. Table-level grants (002) cover the new column.
ALTER TABLE audit.risk_decisions ADD COLUMN arrival_price numeric;

COMMENT ON COLUMN audit.risk_decisions.arrival_price IS
  'Reference price of the symbol when the order arrived (last trade seen, else the limits reference price); '
  'NULL when none was known. Slippage = average fill price against this.';

CREATE OR REPLACE VIEW audit.risk_decisions_v WITH (security_invoker = true) AS
SELECT trade_date, seq, ts_us, timestamptz 'epoch' + ts_us * interval '1 microsecond' AS ts,
       session, account, cl_ord_id, symbol, request, decision, reject_code, text, limits_version,
       arrival_price
  FROM audit.risk_decisions;
