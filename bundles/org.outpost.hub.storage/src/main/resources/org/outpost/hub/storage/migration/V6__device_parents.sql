-- Outpost hub schema, version 6: downstream devices and nested gateways. A device may have a parent (a gateway that
-- connects it, or acts for it, docs/gateways.md); deleting the parent leaves its children without one. The hub refuses
-- cycles and trees deeper than 8 levels (the hub bundle's DeviceTree).
ALTER TABLE devices ADD COLUMN parent_id VARCHAR(128);
ALTER TABLE devices ADD CONSTRAINT devices_parent FOREIGN KEY (parent_id) REFERENCES devices (id) ON DELETE SET NULL;
CREATE INDEX devices_parent_id ON devices (parent_id);

-- One row: grows with every change of the registry that a gateway's device scope shows (a device below it created,
-- deleted, disabled, enabled, re-keyed, moved; a module identity of one put or deleted). The scope's version is this
-- counter, so that it grows on every hub node alike.
CREATE TABLE scope_version (
    id      INT    PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO scope_version (id, version) VALUES (1, 0);
