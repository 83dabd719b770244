-- Outpost hub schema, version 2: direct methods across hub nodes. A method called through one node for a device
-- connected to another waits in a row here; the node holding the device answers into it, and the calling node takes
-- the answer and deletes the row (or deletes it when the call times out).
CREATE TABLE method_calls (
    id         VARCHAR(36)  PRIMARY KEY,
    -- The device, or device/module.
    identity   VARCHAR(200) NOT NULL,
    method     VARCHAR(100) NOT NULL,
    payload    TEXT         NOT NULL,
    timeout_ms BIGINT       NOT NULL,
    created_ms BIGINT       NOT NULL,
    -- Set by the node that called the device: its status and JSON answer.
    status     INT,
    response   TEXT
);
