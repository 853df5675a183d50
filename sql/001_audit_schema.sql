-- 001: the audit schema (sql/README.md is the contract). Applied by `fixgate-db migrate` in one transaction
-- together with its row in audit.schema_migrations; never edit this file once applied anywhere: add a new
-- numbered migration instead (fixgate-db refuses to run when an applied file's SHA-256 changed).
--
-- Column order matters: the hash chain prints every column of a row in table order.

CREATE SCHEMA audit;
REVOKE ALL ON SCHEMA audit FROM PUBLIC;

CREATE TABLE audit.schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  applied_at timestamptz NOT NULL DEFAULT now(),
  applied_by text NOT NULL DEFAULT current_user
);

-- trade_date must be the UTC date of ts_us, so that a row lands in its own day's partition.
-- 86400000000 = microseconds per day.

CREATE TABLE audit.journal_records (
  trade_date date NOT NULL,
  seq bigint NOT NULL CHECK (seq >= 1),
  ts_us bigint NOT NULL CHECK (ts_us >= 0),
  record_type text NOT NULL,
  summary text,
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  PRIMARY KEY (trade_date, seq),
  CHECK (trade_date = DATE '1970-01-01' + (ts_us / 86400000000)::integer)
) PARTITION BY RANGE (trade_date);

CREATE TABLE audit.fix_messages (
  trade_date date NOT NULL,
  seq bigint NOT NULL CHECK (seq >= 1),
  ts_us bigint NOT NULL CHECK (ts_us >= 0),
  session text NOT NULL,
  direction text NOT NULL CHECK (direction IN ('in', 'out')),
  msg_seq_num integer,
  msg_type text NOT NULL,
  raw text NOT NULL,
  PRIMARY KEY (trade_date, seq),
  CHECK (trade_date = DATE '1970-01-01' + (ts_us / 86400000000)::integer)
) PARTITION BY RANGE (trade_date);

CREATE TABLE audit.order_events (
  trade_date date NOT NULL,
  seq bigint NOT NULL CHECK (seq >= 1),
  ts_us bigint NOT NULL CHECK (ts_us >= 0),
  event_type text NOT NULL CHECK (event_type IN (
    'new', 'modify', 'cancel', 'status', 'mass-cancel',
    'accepted', 'rejected', 'partial-fill', 'fill', 'canceled', 'replaced', 'expired', 'cancel-rejected',
    'mass-cancel-done', 'status-answered', 'pending-cancel', 'pending-replace', 'done-for-day',
    'routed', 'venue-cancel', 'venue-replace',
    'venue-accepted', 'venue-fill', 'venue-canceled', 'venue-replaced', 'venue-rejected',
    'venue-cancel-rejected', 'venue-expired')),
  session text,
  account text,
  client_id text,
  investment_decision text,
  execution_decision text,
  trading_capacity text,
  cl_ord_id text,
  orig_cl_ord_id text,
  order_id text,
  venue text,
  venue_cl_ord_id text,
  venue_order_id text,
  exec_id text,
  symbol text,
  isin text,
  security_id text,
  security_id_source text,
  mic text,
  side text,
  ord_type text,
  limit_price numeric,
  stop_price numeric,
  quantity bigint,
  currency text,
  time_in_force text,
  expire text,
  short_sell boolean,
  ord_status text,
  last_qty bigint,
  last_px numeric,
  cum_qty bigint,
  leaves_qty bigint,
  avg_px numeric,
  reject_code text,
  text text,
  PRIMARY KEY (trade_date, seq),
  CHECK (trade_date = DATE '1970-01-01' + (ts_us / 86400000000)::integer)
) PARTITION BY RANGE (trade_date);

CREATE TABLE audit.risk_decisions (
  trade_date date NOT NULL,
  seq bigint NOT NULL CHECK (seq >= 1),
  ts_us bigint NOT NULL CHECK (ts_us >= 0),
  session text,
  account text,
  cl_ord_id text,
  symbol text,
  request text NOT NULL CHECK (request IN ('new', 'replace')),
  decision text NOT NULL CHECK (decision IN ('accepted', 'rejected')),
  reject_code text,
  text text,
  limits_version text,
  PRIMARY KEY (trade_date, seq),
  CHECK (trade_date = DATE '1970-01-01' + (ts_us / 86400000000)::integer)
) PARTITION BY RANGE (trade_date);

CREATE TABLE audit.config_versions (
  trade_date date NOT NULL,
  seq bigint NOT NULL CHECK (seq >= 1),
  ts_us bigint NOT NULL CHECK (ts_us >= 0),
  kind text,
  old_version text,
  new_version text,
  source text,
  applied_by text,
  content text,
  PRIMARY KEY (trade_date, seq),
  CHECK (trade_date = DATE '1970-01-01' + (ts_us / 86400000000)::integer)
) PARTITION BY RANGE (trade_date);

CREATE TABLE audit.trading_state_changes (
  trade_date date NOT NULL,
  seq bigint NOT NULL CHECK (seq >= 1),
  ts_us bigint NOT NULL CHECK (ts_us >= 0),
  scope text,
  scope_key text,
  from_state text,
  to_state text,
  changed_by text,
  reason text,
  PRIMARY KEY (trade_date, seq),
  CHECK (trade_date = DATE '1970-01-01' + (ts_us / 86400000000)::integer)
) PARTITION BY RANGE (trade_date);

-- Compliance queries: an order's life by any of its identifiers, an account's or instrument's activity over
-- time, a session's FIX traffic over time. Indexes on the partitioned parent exist on every partition.
-- The identifiers that most events lack are indexed only where present.
CREATE INDEX order_events_cl_ord_id_idx ON audit.order_events (cl_ord_id);
CREATE INDEX order_events_orig_cl_ord_id_idx ON audit.order_events (orig_cl_ord_id)
  WHERE orig_cl_ord_id IS NOT NULL;
CREATE INDEX order_events_order_id_idx ON audit.order_events (order_id);
CREATE INDEX order_events_venue_order_id_idx ON audit.order_events (venue_order_id)
  WHERE venue_order_id IS NOT NULL;
CREATE INDEX order_events_venue_cl_ord_id_idx ON audit.order_events (venue_cl_ord_id)
  WHERE venue_cl_ord_id IS NOT NULL;
CREATE INDEX order_events_account_ts_idx ON audit.order_events (account, ts_us);
CREATE INDEX order_events_symbol_ts_idx ON audit.order_events (symbol, ts_us);
CREATE INDEX fix_messages_session_ts_idx ON audit.fix_messages (session, ts_us);
CREATE INDEX risk_decisions_cl_ord_id_idx ON audit.risk_decisions (cl_ord_id);
CREATE INDEX risk_decisions_account_ts_idx ON audit.risk_decisions (account, ts_us);

-- Append-only: UPDATE, DELETE and TRUNCATE are refused by grants (002_roles.sql) and, for the owner and
-- superusers too, by these triggers. Row triggers on a partitioned table are cloned onto every partition;
-- TRUNCATE triggers are statement triggers and are not, so ensure_partitions adds one to each partition.
CREATE FUNCTION audit.refuse_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION 'audit record change refused: % on %.% is not allowed', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege',
          DETAIL = 'The audit tables are append-only (MiFID II record keeping): rows are never updated, '
                   'deleted or truncated.',
          HINT = 'Record a correction as a new journal record; retention (dropping old partitions) is a '
                 'DBA task done with DROP TABLE on a partition, outside fixgate.';
END;
$$;

CREATE TRIGGER refuse_update_delete BEFORE UPDATE OR DELETE ON audit.journal_records
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER refuse_update_delete BEFORE UPDATE OR DELETE ON audit.fix_messages
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER refuse_update_delete BEFORE UPDATE OR DELETE ON audit.order_events
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER refuse_update_delete BEFORE UPDATE OR DELETE ON audit.risk_decisions
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER refuse_update_delete BEFORE UPDATE OR DELETE ON audit.config_versions
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER refuse_update_delete BEFORE UPDATE OR DELETE ON audit.trading_state_changes
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();

CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON audit.journal_records
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON audit.fix_messages
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON audit.order_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON audit.risk_decisions
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON audit.config_versions
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON audit.trading_state_changes
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

-- The schema_migrations history is append-only too (fixgate-db only inserts).
CREATE TRIGGER refuse_update_delete BEFORE UPDATE OR DELETE ON audit.schema_migrations
  FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON audit.schema_migrations
  FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

-- audit.ensure_partitions(d): creates day d's partition of every audit table where it is missing, named
-- audit.<table>_YYYYMMDD, and returns how many it created (0 when they all exist). Runs with its owner's
-- rights (SECURITY DEFINER) so that the writer, which may not create tables, can call it before shipping a
-- new day; its search_path is pinned so callers cannot substitute objects. Concurrent callers serialise on
-- a transaction-scoped advisory lock.
CREATE FUNCTION audit.ensure_partitions(d date) RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  parent text;
  part text;
  created integer := 0;
BEGIN
  IF d IS NULL THEN
    RAISE EXCEPTION 'audit.ensure_partitions: the date is NULL'
      USING ERRCODE = 'null_value_not_allowed', HINT = 'Pass the trade date (UTC) of the rows to ship.';
  END IF;
  IF d < DATE '1970-01-01' OR d > DATE '9999-12-30' THEN
    RAISE EXCEPTION 'audit.ensure_partitions: date % is out of range', d
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Pass a trade date from 1970-01-01 on.';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('fixgate audit.ensure_partitions'));
  FOREACH parent IN ARRAY ARRAY['journal_records', 'fix_messages', 'order_events', 'risk_decisions',
                                'config_versions', 'trading_state_changes'] LOOP
    part := parent || '_' || to_char(d, 'YYYYMMDD');
    IF to_regclass(format('audit.%I', part)) IS NULL THEN
      EXECUTE format('CREATE TABLE audit.%I PARTITION OF audit.%I FOR VALUES FROM (%L) TO (%L)',
                     part, parent, d, d + 1);
      EXECUTE format('CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON audit.%I '
                     'FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()', part);
      created := created + 1;
    END IF;
  END LOOP;
  RETURN created;
END;
$$;
REVOKE ALL ON FUNCTION audit.ensure_partitions(date) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit.refuse_change() FROM PUBLIC;

-- The views that present ts_us as timestamptz (audit.<table>_v) are in 003_compliance_views.sql.
