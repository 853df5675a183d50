-- 005: what the shipper needs to reach its throughput goal (issue 4, point 8), measured with
-- tests/bench/shipper_bench on a 2-vCPU VM:
--
-- 1. journal_records.hash was checked with '^[0-9a-f]{64}$'. PostgreSQL's regex engine expands the counted
--    repetition into a large automaton and ran it for every row: 5.3 us a row, two thirds of the cost of
--    COPY into journal_records. The same rule written as a length test plus an uncounted character class
--    costs 0.6 us. The check still refuses anything but 64 lower-hex digits. ADD CONSTRAINT validates the
--    rows already there (one scan of every partition).
ALTER TABLE audit.journal_records DROP CONSTRAINT journal_records_hash_check;
ALTER TABLE audit.journal_records ADD CONSTRAINT journal_records_hash_check
  CHECK (length(hash) = 64 AND hash ~ '^[0-9a-f]+$');

-- 2. journal_records had two indexes on seq: the primary key (trade_date, seq) and journal_records_seq_idx
--    (seq), which fixgate-audit verify needs to walk the chain in seq order across day partitions. A primary
--    key (seq, trade_date) serves both (uniqueness, which a partitioned table can only enforce with the
--    partition key in the index, and the walk in seq order), so the second index goes: 0.6 us a row.
ALTER TABLE audit.journal_records DROP CONSTRAINT journal_records_pkey;
ALTER TABLE audit.journal_records ADD CONSTRAINT journal_records_pkey PRIMARY KEY (seq, trade_date);
DROP INDEX audit.journal_records_seq_idx;

-- 3. Events from the venue side carry no client ClOrdID and client NewOrderSingle events no order id yet, so
--    these two indexes now skip NULLs like the other identifier indexes. Lookups are unchanged: `=` and
--    `= ANY` never match NULL, so the planner uses the partial index for them.
DROP INDEX audit.order_events_cl_ord_id_idx;
CREATE INDEX order_events_cl_ord_id_idx ON audit.order_events (cl_ord_id) WHERE cl_ord_id IS NOT NULL;
DROP INDEX audit.order_events_order_id_idx;
CREATE INDEX order_events_order_id_idx ON audit.order_events (order_id) WHERE order_id IS NOT NULL;

-- 4. The shipper ships the typed tables on their own connections, committed before journal_records (see
--    src/audit/shipper.h). To resume, it reads each typed table's last seq, so the writer may read
--    (trade_date, seq) of them, as it already may of journal_records.
GRANT SELECT (trade_date, seq) ON audit.fix_messages, audit.order_events, audit.risk_decisions,
  audit.config_versions, audit.trading_state_changes TO fixgate_writer;
