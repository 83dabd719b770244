/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.api;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;
import org.outpost.protocol.DeviceScope;

/**
 * The devices below this gateway, as the hub (or the parent gateway) last said, kept on disk encrypted with a key
 * of the gateway's own, so that children authenticate while the hub is away and after a restart. A service of the
 * downstream bundle; the twins' {@code $edgeHub} connection fills it ({@link #replace}).
 */
@ProviderType
public interface ChildScope {

    /** @return the scope last stored, empty before the gateway first heard it */
    Optional<DeviceScope> current();

    /**
     * Stores a newer scope (a scope whose version is not newer than the current one is ignored) and tells the
     * listeners: children no longer in it, disabled or re-keyed are refused from now on and disconnected by the
     * endpoint.
     *
     * @throws IllegalArgumentException if it is not this gateway's scope (another device id)
     * @throws IOException if it cannot be stored: the current scope stays
     */
    void replace(DeviceScope scope) throws IOException;

    /**
     * @param listener told each new scope after it is stored (on the caller's thread of {@link #replace})
     * @return removes it
     */
    AutoCloseable onChange(Consumer<DeviceScope> listener);
}
