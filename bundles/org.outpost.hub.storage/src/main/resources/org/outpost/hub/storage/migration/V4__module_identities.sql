-- Outpost hub schema, version 4: module identities. A gateway registers its modules' identities over its IoT Hub
-- connection (docs/protocol.md); each module then authenticates with its own keys. A row goes with its device.
CREATE TABLE module_identities (
    device_id     VARCHAR(128) NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    module_id     VARCHAR(80)  NOT NULL,
    -- Set by the gateway for each new identity of a module; a new generation replaces the old one.
    generation_id VARCHAR(128) NOT NULL,
    -- The keys sign the module's SAS tokens, so they are kept, as devices' keys are.
    primary_key   VARCHAR(128) NOT NULL,
    secondary_key VARCHAR(128) NOT NULL,
    created_ms    BIGINT       NOT NULL,
    -- Who manages the identity: $edgeAgent for the modules a gateway registers.
    managed_by    VARCHAR(80)  NOT NULL,
    PRIMARY KEY (device_id, module_id)
);
