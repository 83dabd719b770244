/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.outpost.api.runtime.EdgeRuntime;

/** Shared test helpers: settings, a clock the test moves, and the two collaborators at the OSGi boundary. */
final class TestSupport {

    private TestSupport() {
    }

    static IdentitySettings settings(Path dataDir, List<String> hosts) {
        return new IdentitySettings(hosts.get(0), hosts, "outpost-hub.local", dataDir.resolve("workload"),
                "2019-01-30", 365, 30, 0);
    }

    static IdentitySettings settings(Path dataDir) {
        return settings(dataDir, List.of("localhost", "127.0.0.1"));
    }

    /** A clock that stands still until the test moves it. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A bundle context that answers {@code karaf.data} only. */
    static BundleContext context(Path dataDir) {
        Map<String, String> properties = Map.of("karaf.data", dataDir.toString());
        return (BundleContext) Proxy.newProxyInstance(TestSupport.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (p, m, args) -> {
                    if (m.getName().equals("getProperty")) {
                        return properties.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    /** A runtime that knows its device id only. */
    static EdgeRuntime runtime(String deviceId) {
        return (EdgeRuntime) Proxy.newProxyInstance(TestSupport.class.getClassLoader(),
                new Class<?>[] {EdgeRuntime.class}, (p, m, args) -> {
                    if (m.getName().equals("deviceId")) {
                        return deviceId;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }
}
