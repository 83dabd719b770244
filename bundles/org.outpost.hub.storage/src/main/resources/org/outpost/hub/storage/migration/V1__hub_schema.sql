-- Outpost hub schema, version 1: the device registry, twins, deployments, and the hub nodes sharing the database.
-- Portable SQL: the embedded H2 and PostgreSQL run this file unchanged. JSON documents are kept as text; the hub reads
-- and checks them (a PostgreSQL-only migration may add JSONB copies with GIN indexes for fleet-wide queries).
-- Never edit a migration that was released: add V2__..., V3__... (Flyway checks each file's checksum).

CREATE TABLE devices (
    id            VARCHAR(128) PRIMARY KEY,
    created_ms    BIGINT       NOT NULL,
    -- HMAC-SHA256 of the primary key under the salt (a key given as a password is checked against it), Base64.
    salt          VARCHAR(64)  NOT NULL,
    key_hash      VARCHAR(64)  NOT NULL,
    -- The keys themselves sign SAS tokens, so they are kept (as IoT Hub keeps device keys).
    primary_key   VARCHAR(128),
    secondary_key VARCHAR(128),
    -- SHA-1 or SHA-256 thumbprint of the device's X.509 certificate, upper-case hex.
    thumbprint    VARCHAR(64),
    disabled      BOOLEAN      NOT NULL DEFAULT FALSE,
    -- JSON object: what target conditions read as tags.*
    tags          TEXT         NOT NULL DEFAULT '{}',
    -- Activity, added up from all nodes every few seconds.
    last_seen_ms  BIGINT,
    messages      BIGINT       NOT NULL DEFAULT 0
);

-- One row per twin: module_id '' is the device's own twin. revision grows with every write; a write names the
-- revision it read, so two nodes changing one twin at once cannot lose either change (the later one reads again).
CREATE TABLE twins (
    device_id VARCHAR(128) NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    module_id VARCHAR(80)  NOT NULL,
    revision  BIGINT       NOT NULL,
    document  TEXT         NOT NULL,
    PRIMARY KEY (device_id, module_id)
);

-- IoT Hub's deployment objects as they were given, with the time they were created (it breaks priority ties).
CREATE TABLE deployments (
    id         VARCHAR(128) PRIMARY KEY,
    created_ms BIGINT       NOT NULL,
    document   TEXT         NOT NULL
);

-- What the deployments last set on each device: its base, layers (JSON array), the identities whose twins they set
-- (JSON array; one no longer set is cleared) and the error of the last try, if any.
CREATE TABLE applied (
    device_id  VARCHAR(128) PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    base       VARCHAR(128),
    layers     TEXT         NOT NULL,
    identities TEXT         NOT NULL,
    error      TEXT
);

-- The hub nodes up now: each says so every few seconds; one not heard of for a while is removed with its rows below.
CREATE TABLE hub_nodes (
    id         VARCHAR(160) PRIMARY KEY,
    started_ms BIGINT       NOT NULL,
    seen_ms    BIGINT       NOT NULL
);

-- Devices' open connections (the device's or its modules'), counted by the node that holds them.
CREATE TABLE connections (
    node_id    VARCHAR(160) NOT NULL REFERENCES hub_nodes (id) ON DELETE CASCADE,
    device_id  VARCHAR(128) NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    open_count INT          NOT NULL,
    PRIMARY KEY (node_id, device_id)
);
CREATE INDEX connections_device ON connections (device_id);
