/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.api;

/**
 * A device to register in bulk ({@link DeviceRegistry#importDevices}).
 *
 * @param id the device id
 * @param primaryKey its primary key (Base64 of 16 to 64 bytes), or null for the hub to make one
 * @param secondaryKey its secondary key, or null for none
 * @param parentId its parent gateway (registered already, or earlier in the same import), or null for none
 */
public record NewDevice(String id, String primaryKey, String secondaryKey, String parentId) {

    /** A device without a parent. */
    public NewDevice(String id, String primaryKey, String secondaryKey) {
        this(id, primaryKey, secondaryKey, null);
    }
}
