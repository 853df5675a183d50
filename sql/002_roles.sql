-- 002: the roles of the audit store (sql/README.md, "Roles"). No passwords here: tools/pg/fixgate-pg.sh sets
-- them in the private cluster from its generated password file; for an external PostgreSQL the DBA does
-- (ALTER ROLE ... PASSWORD, or creates the roles beforehand - existing roles are kept as they are).
--
-- fixgate_writer      the shipper: INSERT into the six audit tables, read journal_records (trade_date, seq,
--                     hash) to resume the chain, call audit.ensure_partitions. Nothing else.
-- fixgate_compliance  read-only: SELECT on every table and view in schema audit, also ones created later.
--
-- Roles are cluster-wide and this file may run in several databases of one cluster, so they are created only
-- when missing; the grants are per database.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'fixgate_writer') THEN
    CREATE ROLE fixgate_writer LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'fixgate_compliance') THEN
    CREATE ROLE fixgate_compliance LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
  END IF;
END
$$;

-- The database: connect, nothing more (PUBLIC's default CONNECT and TEMPORARY are withdrawn; the audit
-- database is dedicated to fixgate).
DO $$
BEGIN
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO fixgate_writer, fixgate_compliance', current_database());
END
$$;

-- The writer.
GRANT USAGE ON SCHEMA audit TO fixgate_writer;
GRANT INSERT ON audit.journal_records, audit.fix_messages, audit.order_events, audit.risk_decisions,
  audit.config_versions, audit.trading_state_changes TO fixgate_writer;
GRANT SELECT (trade_date, seq, hash) ON audit.journal_records TO fixgate_writer;
GRANT EXECUTE ON FUNCTION audit.ensure_partitions(date) TO fixgate_writer;

-- Compliance: every table and view of schema audit now (partitions included), and those that the role
-- running the migrations creates later (new migrations, and partitions made by audit.ensure_partitions,
-- which runs as its owner: that role).
GRANT USAGE ON SCHEMA audit TO fixgate_compliance;
GRANT SELECT ON ALL TABLES IN SCHEMA audit TO fixgate_compliance;
ALTER DEFAULT PRIVILEGES IN SCHEMA audit GRANT SELECT ON TABLES TO fixgate_compliance;
