/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.spi;

import org.osgi.annotation.versioning.ConsumerType;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinException;

/**
 * Where the twins of the connected identities are: the server answers their twin GETs and reported patches from here,
 * and sends them the desired patches it hears of. Called on session threads, which it may block.
 */
@ConsumerType
public interface TwinService {

    /**
     * @param identity a connected identity
     * @return its twin (desired and reported properties, with their versions)
     * @throws IllegalArgumentException if it has none: the request is dropped (and acknowledged)
     */
    TwinDocument twin(Identity identity);

    /**
     * @param identity a connected identity
     * @param patchJson a JSON merge patch of its reported properties
     * @return the twin after the patch
     * @throws TwinException if the patch is refused (over a limit, a bad key): answered with status 400 and the reason
     */
    TwinDocument patchReported(Identity identity, String patchJson);

    /**
     * @param listener told of every desired change of any identity, after it is stored; the server sends it to the
     *            identity if it is connected and subscribed
     * @return stops it (when the server stops)
     */
    Subscription onDesiredPatch(DesiredPatchListener listener);
}
