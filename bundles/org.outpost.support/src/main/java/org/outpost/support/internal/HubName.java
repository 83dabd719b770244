/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.support.internal;

import java.util.function.Supplier;

import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The hub's host name the twins sign for ({@code host.name} of {@code org.outpost.twin}), which starts blob names as
 * IoT Edge's IoT hub name does.
 */
final class HubName implements Supplier<String> {

    static final String DEFAULT = "outpost-hub.local";
    private final Supplier<String> source;

    HubName(ConfigurationAdmin configurations) {
        this(() -> {
            try {
                org.osgi.service.cm.Configuration[] c = configurations.listConfigurations(
                        "(service.pid=org.outpost.twin)");
                Object v = c == null || c.length == 0 || c[0].getProperties() == null ? null
                        : c[0].getProperties().get("host.name");
                return v == null || v.toString().isBlank() ? DEFAULT : v.toString();
            } catch (Exception e) {
                return DEFAULT;
            }
        });
    }

    HubName(Supplier<String> source) {
        this.source = source;
    }

    @Override
    public String get() {
        return source.get().replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
