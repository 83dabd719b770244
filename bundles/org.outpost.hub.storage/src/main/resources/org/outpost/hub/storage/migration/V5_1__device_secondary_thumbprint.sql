-- Outpost hub schema, version 5.1: a second X.509 thumbprint per device, so that a device's certificate can be
-- replaced without downtime (register the new one as secondary, move the device to it, then make it the primary).
-- Upper-case hex of the certificate's SHA-256 fingerprint (64 digits).
ALTER TABLE devices ADD COLUMN secondary_thumbprint VARCHAR(64);
