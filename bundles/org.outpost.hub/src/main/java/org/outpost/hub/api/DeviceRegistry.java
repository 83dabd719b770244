/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Device identities and their credentials. A device authenticates at the hub's MQTT endpoint with its id as user name
 * and its key as password. The hub keeps only a salted hash of each key: a lost key is replaced, not recovered.
 */
@ProviderType
public interface DeviceRegistry {

    /** @return every device, sorted by id */
    List<Device> devices();

    /** @return the device, if registered */
    Optional<Device> device(String id);

    /**
     * Registers a device and creates its key.
     *
     * @return the key, shown this once
     * @throws IllegalArgumentException if the id is not valid or already registered
     */
    String create(String id);

    /**
     * Registers many devices at once, as IoT Hub's bulk import: all of them or, if one is refused, none.
     *
     * @return each device's primary key (the one given, or the one made for it), by id
     * @throws IllegalArgumentException naming the first device refused and why (a bad or taken id, a key that is not
     *             Base64 of 16 to 64 bytes); nothing is registered then
     */
    java.util.Map<String, String> importDevices(List<NewDevice> devices);

    /**
     * Replaces a device's primary key (the old one stops working at once).
     *
     * @return the new key
     * @throws IllegalArgumentException if there is no such device
     */
    default String rotateKey(String id) {
        return rotateKey(id, false);
    }

    /**
     * Replaces a device's primary or secondary key; the other keeps working. Rotating without downtime, as with IoT
     * Hub: rotate the secondary, give it to the device, then rotate the primary (the device is on the secondary
     * meanwhile).
     *
     * @return the new key
     * @throws IllegalArgumentException if there is no such device
     */
    String rotateKey(String id, boolean secondary);

    /**
     * Enables or disables a device. A disabled device cannot connect, and its connections are closed at once; its
     * keys, tags, twins and deployments are kept for when it is enabled again.
     *
     * @throws IllegalArgumentException if there is no such device
     */
    void setEnabled(String id, boolean enabled);

    /**
     * Lets a device authenticate with an X.509 certificate (over TLS, without a password), as IoT Hub's self-signed
     * X.509 devices: the certificate whose SHA-256 thumbprint this is. The device's open connections are closed (on
     * every listener and hub node): it authenticates again with what it has now.
     *
     * @param thumbprint 64 hex digits (colons allowed), or null to take the certificate away
     * @throws IllegalArgumentException if there is no such device or the thumbprint is not a SHA-256 one (SHA-1 is
     *             not accepted: a certificate with the same SHA-1 can be forged)
     */
    void setThumbprint(String id, String thumbprint);

    /**
     * Lets a device authenticate with a second X.509 certificate as well, as IoT Hub's secondary thumbprint: to replace
     * a certificate without downtime, register the new one here, move the device to it, then make it the primary.
     * The device's open connections are closed, as by {@link #setThumbprint}.
     *
     * @param thumbprint 64 hex digits (colons allowed), or null to take it away
     * @throws IllegalArgumentException if there is no such device or the thumbprint is not a SHA-256 one
     */
    void setSecondaryThumbprint(String id, String thumbprint);

    /**
     * Deletes a device. Its children (if it is a gateway) stay registered, without a parent (as IoT Hub does).
     *
     * @return true if the device existed and was deleted
     */
    boolean delete(String id);

    /** The deepest a device may be below the top of its tree (a device without a parent is at depth 0). */
    int MAX_DEPTH = 8;

    /**
     * Registers a device below a parent gateway and creates its key.
     *
     * @param parentId the parent, or null for none
     * @return the key, shown this once
     * @throws IllegalArgumentException if the id is not valid or taken, or the parent is unknown or too deep
     *             ({@link #MAX_DEPTH}); nothing is registered then
     */
    String create(String id, String parentId);

    /**
     * Moves a device below another parent, or takes its parent away. Its old and new ancestors' gateways hear of it
     * (their device scopes change).
     *
     * @param parentId the new parent, or null for none
     * @throws IllegalArgumentException if there is no such device or parent, the parent is the device itself or below
     *             it (a cycle), or the tree would be deeper than {@link #MAX_DEPTH}; nothing changes then
     */
    void setParent(String id, String parentId);

    /**
     * @return the devices whose parent is this one, sorted by id
     * @throws IllegalArgumentException if there is no such device
     */
    List<Device> children(String id);

    /**
     * @return every device below this one (children, grandchildren, ...), parents before their children
     * @throws IllegalArgumentException if there is no such device
     */
    List<Device> descendants(String id);
}
