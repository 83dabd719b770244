-- Outpost hub schema, version 10: the sequence counter of each endpoint's queue gets a row of its own. Queueing a
-- batch locks the counter until it commits (so that sequences become visible in order); on the endpoint's row that
-- lock also held up every delivery of that endpoint (the acknowledgement and the lease update the same row), batch
-- after batch while devices were sending. The column leaves routing_endpoints, so that a hub node of an older version
-- sharing the database cannot hand out sequences from the old counter: its queueing fails (the devices' messages stay
-- unacknowledged at its broker, retried) until it is upgraded. Plain SQL: the same on H2 and PostgreSQL.
CREATE TABLE routing_sequences (
    endpoint VARCHAR(64) PRIMARY KEY REFERENCES routing_endpoints (name) ON DELETE CASCADE,
    -- The sequence the next queued message gets (per endpoint, strictly increasing).
    next_seq BIGINT      NOT NULL
);
INSERT INTO routing_sequences (endpoint, next_seq) SELECT name, next_seq FROM routing_endpoints;
ALTER TABLE routing_endpoints DROP COLUMN next_seq;
