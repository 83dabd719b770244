-- Outpost hub schema, version 5: device and module keys are stored sealed (AES-256-GCM) under the hub's master key,
-- which is kept outside the database (docs/security.md, "Secrets at rest"). A sealed key is longer than the key:
-- the columns widen. The hub seals the keys still stored in plaintext when it starts (the hub bundle's
-- SealedKeys, idempotent).
ALTER TABLE devices ALTER COLUMN primary_key SET DATA TYPE VARCHAR(512);
ALTER TABLE devices ALTER COLUMN secondary_key SET DATA TYPE VARCHAR(512);
ALTER TABLE module_identities ALTER COLUMN primary_key SET DATA TYPE VARCHAR(512);
ALTER TABLE module_identities ALTER COLUMN secondary_key SET DATA TYPE VARCHAR(512);

-- One row: a known text sealed under the master key of the first node that started. A node started with another
-- master key cannot open it, and refuses to start (rather than seal new keys that the other nodes cannot open).
CREATE TABLE master_key_check (
    id     INT          PRIMARY KEY,
    sealed VARCHAR(512) NOT NULL
);
