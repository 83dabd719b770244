/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.manifest;

import java.util.Locale;

/** When a module that is not running is started again, as in IoT Edge. */
public enum RestartPolicy {
    NEVER, ON_FAILURE, ON_UNHEALTHY, ALWAYS;

    /** @return the manifest spelling: {@code never}, {@code on-failure}, {@code on-unhealthy}, {@code always} */
    public String text() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @return the policy spelled so in a manifest, or {@code null} */
    static RestartPolicy of(String text) {
        for (RestartPolicy p : values()) {
            if (p.text().equals(text)) {
                return p;
            }
        }
        return null;
    }
}
