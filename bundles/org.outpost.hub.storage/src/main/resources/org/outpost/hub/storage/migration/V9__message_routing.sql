-- Outpost hub schema, version 9: message routing to endpoints (issue 20, IoT Hub's "routing to endpoints"). Routes
-- send device messages matching their condition to endpoints; each endpoint has a durable queue here (an outbox),
-- ordered by a sequence that the endpoint's row hands out, delivered by one hub node at a time (the node holding the
-- endpoint's lease), retried with back-off, and moved to the endpoint's dead letters after too many attempts or too
-- long. The built-in endpoint 'events' is the hub's broker (consumer groups), not a queue here. Plain SQL: the same on
-- H2 and PostgreSQL.
CREATE TABLE routing_endpoints (
    name              VARCHAR(64)  PRIMARY KEY,
    type              VARCHAR(64)  NOT NULL,
    -- The type's settings, a JSON object.
    settings          TEXT         NOT NULL,
    -- The sequence the next queued message gets (per endpoint, strictly increasing).
    next_seq          BIGINT       NOT NULL,
    -- The node delivering this endpoint's queue, until lease_until_ms (epoch ms); another node takes over after.
    lease_node        VARCHAR(200),
    lease_until_ms    BIGINT       NOT NULL,
    -- Failed attempts at the head of the queue since the last success, and when the next attempt is due.
    attempts          INT          NOT NULL,
    retry_at_ms       BIGINT       NOT NULL,
    delivered         BIGINT       NOT NULL,
    failed            BIGINT       NOT NULL,
    dead              BIGINT       NOT NULL,
    last_error        TEXT,
    last_error_ms     BIGINT,
    last_delivered_ms BIGINT,
    created_ms        BIGINT       NOT NULL
);

CREATE TABLE routing_routes (
    name           VARCHAR(64)  PRIMARY KEY,
    -- DeviceMessages, TwinChangeEvents or DeviceLifecycleEvents.
    source         VARCHAR(32)  NOT NULL,
    condition_text TEXT         NOT NULL,
    -- The endpoints' names, comma-separated.
    endpoints      TEXT         NOT NULL,
    enabled        BOOLEAN      NOT NULL,
    updated_ms     BIGINT       NOT NULL
);

-- A message waiting for its endpoint: system and application properties as JSON, the body as Base64.
CREATE TABLE routing_queue (
    endpoint    VARCHAR(64)  NOT NULL REFERENCES routing_endpoints (name) ON DELETE CASCADE,
    seq         BIGINT       NOT NULL,
    route       VARCHAR(64)  NOT NULL,
    enqueued_ms BIGINT       NOT NULL,
    properties  TEXT         NOT NULL,
    body        TEXT         NOT NULL,
    PRIMARY KEY (endpoint, seq)
);

-- What kept failing: kept until replayed (back into the queue, with a new sequence) or deleted.
CREATE TABLE routing_dead_letters (
    endpoint    VARCHAR(64)  NOT NULL REFERENCES routing_endpoints (name) ON DELETE CASCADE,
    seq         BIGINT       NOT NULL,
    route       VARCHAR(64)  NOT NULL,
    enqueued_ms BIGINT       NOT NULL,
    properties  TEXT         NOT NULL,
    body        TEXT         NOT NULL,
    attempts    INT          NOT NULL,
    reason      TEXT         NOT NULL,
    dead_ms     BIGINT       NOT NULL,
    PRIMARY KEY (endpoint, seq)
);
CREATE INDEX routing_dead_letters_time ON routing_dead_letters (dead_ms);

-- Consumer groups of the built-in endpoint: a durable queue each on every hub node's broker. The token that lets a
-- backend in is kept as its SHA-256 only.
CREATE TABLE routing_consumer_groups (
    name          VARCHAR(64)  PRIMARY KEY,
    token_sha256  VARCHAR(64)  NOT NULL,
    created_ms    BIGINT       NOT NULL
);

-- The built-in endpoint and the fallback route (messages that match no route go to 'events'), as in IoT Hub.
INSERT INTO routing_endpoints (name, type, settings, next_seq, lease_until_ms, attempts, retry_at_ms, delivered,
    failed, dead, created_ms) VALUES ('events', 'events', '{}', 1, 0, 0, 0, 0, 0, 0, 0);
INSERT INTO routing_routes (name, source, condition_text, endpoints, enabled, updated_ms)
    VALUES ('$fallback', 'DeviceMessages', 'true', 'events', TRUE, 0);
