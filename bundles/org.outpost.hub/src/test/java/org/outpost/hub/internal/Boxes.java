/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

/** The master key of the tests' hubs: one for all, as every node of a cluster shares one. */
final class Boxes {

    static final SecretBox BOX = new SecretBox(new byte[SecretBox.KEY_BYTES]);

    private Boxes() {
    }
}
