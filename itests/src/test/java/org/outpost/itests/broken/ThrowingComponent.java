/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests.broken;

/**
 * The component of a deliberately broken module that {@code HotDeployIT} packs into a bundle: its activation throws.
 */
public class ThrowingComponent {

    /** Called by Declarative Services. */
    public void activate() {
        throw new IllegalStateException("sensor hardware not found on /dev/ttyUSB7");
    }
}
