/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Objects;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.outpost.hub.storage.HubDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's secrets at rest: the master key, read from (or, at the first start, created in) its owner-only file outside
 * the database ({@code master.key.file} of {@code org.outpost.hub}, by default {@code ${karaf.etc}/}{@value
 * #DEFAULT_FILE}), checked against the database's, and the {@link SecretBox} that seals device and module keys under
 * it. The keys still in plaintext are sealed before the registry starts ({@link DeviceStore} and {@link ModuleStore}
 * reference this component). When the key cannot be used the hub does not start, and says why.
 */
@Component(service = HubSecrets.class, configurationPid = "org.outpost.hub")
public final class HubSecrets {

    /** In the hub's configuration ({@code org.outpost.hub}, whose metatype {@link TelemetryHub} designates). */
    public @interface Config {
        /** The master key file: empty for the default, relative paths from {@code ${karaf.etc}}. */
        String master_key_file() default "";
    }

    static final String DEFAULT_FILE = "outpost-master.key";
    private static final Logger LOG = LoggerFactory.getLogger(HubSecrets.class);

    private final SecretBox box;

    @Activate
    public HubSecrets(BundleContext context, @Reference HubDatabase db, Config config) {
        this(keyFile(Path.of(Objects.requireNonNullElse(context.getProperty("karaf.etc"), "etc")),
                config.master_key_file()), db);
    }

    /**
     * @throws IllegalStateException if the master key cannot be used (also logged), saying what to do
     */
    HubSecrets(Path keyFile, HubDatabase db) {
        try {
            MasterKeyFile.Loaded key = MasterKeyFile.loadOrCreate(keyFile, new SecureRandom());
            this.box = new SecretBox(key.key());
            if (key.created()) {
                LOG.info("Created the hub's master key {} (owner-only): keep it with the database's backups, apart"
                        + " from them, and give every hub node sharing the database the same file", keyFile);
            }
            SealedKeys.checkMasterKey(db, box, keyFile);
            int sealed = SealedKeys.sealPlaintext(db, box);
            if (sealed > 0) {
                LOG.info("Sealed {} key(s) that were stored in plaintext in the hub database", sealed);
            }
        } catch (IllegalStateException e) {
            LOG.error("The hub does not start: {}", e.getMessage());
            throw e;
        }
    }

    /** @return the master key file that {@code master.key.file} names */
    static Path keyFile(Path etc, String configured) {
        String f = configured == null ? "" : configured.strip();
        return etc.resolve(f.isEmpty() ? DEFAULT_FILE : f).toAbsolutePath().normalize();
    }

    /** @return what seals keys for the database */
    SecretBox box() {
        return box;
    }
}
