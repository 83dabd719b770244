/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.module;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A module's health probe: register it as a service from the module's bundle and the gateway asks it every few
 * seconds. A module that is unhealthy is restarted when its restart policy is {@code on-unhealthy}, {@code on-failure}
 * or {@code always}, and reported as unhealthy otherwise.
 *
 * <pre>{@code
 * @Component(service = HealthCheck.class)
 * public class SensorHealth implements HealthCheck {
 *     public Health check() {
 *         return lastReading.isAfter(Instant.now().minusSeconds(30)) ? Health.HEALTHY
 *                 : Health.unhealthy("no reading for 30 s");
 *     }
 * }
 * }</pre>
 */
@ConsumerType
public interface HealthCheck {

    /** @return the module's health now; must answer within two seconds (else it counts as unhealthy) */
    Health check();

    /**
     * @param healthy whether the module does its job
     * @param reason why not, for operators; empty when healthy
     */
    record Health(boolean healthy, String reason) {

        public static final Health HEALTHY = new Health(true, "");

        public Health {
            reason = reason == null ? "" : reason;
        }

        /** @return an unhealthy verdict saying why */
        public static Health unhealthy(String reason) {
            return new Health(false, reason);
        }
    }
}
