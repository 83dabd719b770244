/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.spi;

import org.osgi.annotation.versioning.ProviderType;

/** Hears of desired changes (see {@link TwinService#onDesiredPatch}); the server implements it. */
@ProviderType
@FunctionalInterface
public interface DesiredPatchListener {

    /**
     * @param identity whose twin changed
     * @param version the desired properties' new version
     * @param patch what changed, as a JSON merge patch with the new {@code $version} (after a replace, the whole
     *            desired properties)
     */
    void desiredPatch(Identity identity, long version, String patch);
}
