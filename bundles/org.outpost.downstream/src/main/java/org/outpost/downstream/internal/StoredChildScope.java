/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.commons.Listeners;
import org.outpost.downstream.api.ChildScope;
import org.outpost.downstream.api.HubLink;
import org.outpost.protocol.DeviceScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's device scope, kept sealed on disk ({@link ScopeFile}): loaded at start (a file that does not open is
 * refused with an error, and the gateway runs with no scope until the hub sends it again), replaced by newer scopes
 * only, and told to the listeners after each is stored. When the twins' {@link HubLink} is there, a scope of another
 * device than the gateway's is refused.
 */
@Component(service = ChildScope.class, immediate = true, configurationPid = StoredChildScope.PID)
@Designate(ocd = StoredChildScope.Config.class)
public final class StoredChildScope implements ChildScope {

    static final String PID = "org.outpost.downstream.scope";

    @ObjectClassDefinition(name = "Outpost device scope",
            description = "Where the gateway keeps the devices below it (their credentials), sealed, so that they"
                    + " authenticate while the hub is away.")
    public @interface Config {
        @AttributeDefinition(description = "The sealed scope file; empty means"
                + " ${karaf.data}/outpost/downstream/scope.sealed. A relative path is taken from ${karaf.data}.")
        String scope_file() default "";

        @AttributeDefinition(description = "The key that seals it (made at the first store, owner-only); a relative"
                + " path is taken from ${karaf.etc}. Losing it loses the stored scope (the hub sends it again).")
        String key_file() default "outpost-secrets/device-scope.key";
    }

    private static final Logger LOG = LoggerFactory.getLogger(StoredChildScope.class);

    private final ScopeFile file;
    private final Listeners<Consumer<DeviceScope>> listeners = new Listeners<>("device scope changes");
    private volatile DeviceScope current;
    private volatile HubLink link;
    private final Supplier<Optional<String>> gatewayId;

    @Activate
    public StoredChildScope(BundleContext context, Config config) {
        this(files(Path.of(Objects.requireNonNullElse(context.getProperty("karaf.data"), "data")), Path.of(Objects
                .requireNonNullElse(context.getProperty("karaf.etc"), "etc")), config), null);
    }

    /** @param gatewayId this gateway's device id, if known (null: the twins' {@link HubLink}'s, while it is there) */
    StoredChildScope(ScopeFile file, Supplier<Optional<String>> gatewayId) {
        this.file = file;
        this.gatewayId = gatewayId != null ? gatewayId : () -> Optional.ofNullable(link).map(HubLink::deviceId);
        try {
            current = file.load().orElse(null);
            if (current != null) {
                LOG.info("Loaded the device scope of {} (version {}, {} devices) from {}", current.deviceId(),
                        current.version(), current.devices().size(), file.file());
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("{}", e.getMessage());
        }
    }

    static ScopeFile files(Path data, Path etc, Config config) {
        String scope = config.scope_file() == null ? "" : config.scope_file().strip();
        Path scopeFile = scope.isEmpty() ? data.resolve("outpost/downstream/scope.sealed") : data.resolve(scope);
        String key = config.key_file() == null || config.key_file().isBlank() ? "outpost-secrets/device-scope.key"
                : config.key_file().strip();
        return new ScopeFile(scopeFile.toAbsolutePath().normalize(), etc.resolve(key).toAbsolutePath().normalize(),
                new SecureRandom());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindLink(HubLink l) {
        this.link = l;
    }

    void unbindLink(HubLink l) {
        if (this.link == l) {
            this.link = null;
        }
    }

    @Override
    public Optional<DeviceScope> current() {
        return Optional.ofNullable(current);
    }

    @Override
    public void replace(DeviceScope scope) throws IOException {
        Objects.requireNonNull(scope, "scope");
        Optional<String> gateway = gatewayId.get();
        if (gateway.isPresent() && !gateway.get().equals(scope.deviceId())) {
            throw new IllegalArgumentException("the device scope of '" + scope.deviceId() + "' is not this"
                    + " gateway's ('" + gateway.get() + "'): it is not stored");
        }
        synchronized (this) {
            DeviceScope before = current;
            if (before != null && before.deviceId().equals(scope.deviceId()) && scope.version() <= before.version()) {
                LOG.debug("Device scope version {} is not newer than version {}: ignored", scope.version(),
                        before.version());
                return;
            }
            file.store(scope);
            current = scope;
            LOG.info("Stored the device scope of {}: version {}, {} devices", scope.deviceId(), scope.version(),
                    scope.devices().size());
        }
        listeners.fire(l -> l.accept(scope));
    }

    @Override
    public AutoCloseable onChange(Consumer<DeviceScope> listener) {
        return listeners.subscribe(listener);
    }

    @Override
    public String toString() {
        DeviceScope s = current;
        return "StoredChildScope[" + file.file() + (s == null ? ", none" : ", " + s) + "]";
    }
}
