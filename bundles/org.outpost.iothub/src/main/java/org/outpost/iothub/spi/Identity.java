/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * Who is at the other end of a connection: a device, a module of a device, or (on a gateway) a device or gateway
 * behind it. Its {@link #id()} is its MQTT client id, {@code <deviceId>} or {@code <deviceId>/<moduleId>}; one
 * connection per id is kept, as IoT Hub does. Two identities are equal when kind and ids are.
 *
 * @param kind what it is
 * @param deviceId the device (never empty)
 * @param moduleId the module for {@link Kind#MODULE}, else null
 */
public record Identity(Kind kind, String deviceId, String moduleId) {

    /** The kinds of identity. A user that switches on them has a default branch: kinds may be added. */
    public enum Kind {
        /** A device, connecting with its own id. */
        DEVICE,
        /** A module identity of a device, {@code <deviceId>/<moduleId>}. */
        MODULE,
        /** A device behind a gateway, connecting to the gateway with its own id (IoT Edge's leaf device). */
        CHILD_DEVICE,
        /** A gateway behind a gateway, connecting to its parent with its own id (IoT Edge's nested edge). */
        CHILD_GATEWAY
    }

    public Identity {
        Objects.requireNonNull(kind, "kind");
        if (deviceId == null || deviceId.isEmpty() || deviceId.contains("/")) {
            throw new IllegalArgumentException("device id '" + deviceId + "' is empty or has a '/'");
        }
        if ((kind == Kind.MODULE) != (moduleId != null)) {
            throw new IllegalArgumentException("a " + kind + " identity " + (moduleId == null ? "needs" : "has no")
                    + " module id");
        }
        if (moduleId != null && (moduleId.isEmpty() || moduleId.contains("/"))) {
            throw new IllegalArgumentException("module id '" + moduleId + "' is empty or has a '/'");
        }
    }

    public static Identity device(String deviceId) {
        return new Identity(Kind.DEVICE, deviceId, null);
    }

    public static Identity module(String deviceId, String moduleId) {
        return new Identity(Kind.MODULE, deviceId, moduleId);
    }

    /**
     * @param deviceId a device
     * @param moduleId one of its modules, or null
     * @return the device, or its module
     */
    public static Identity of(String deviceId, String moduleId) {
        return moduleId == null ? device(deviceId) : module(deviceId, moduleId);
    }

    /**
     * @param clientId an MQTT client id
     * @return the identity it claims: a device for {@code <deviceId>}, a module for {@code <deviceId>/<moduleId>};
     *         empty if it is neither (the authenticator may then say it is another kind)
     */
    public static Optional<Identity> claimedBy(String clientId) {
        // As IoT Hub's endpoint always read it: trailing slashes are ignored ("d/" is the device d).
        String[] ids = clientId == null ? new String[0] : clientId.split("/");
        if (ids.length < 1 || ids.length > 2 || ids[0].isEmpty() || ids.length == 2 && ids[1].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ids.length == 1 ? device(ids[0]) : module(ids[0], ids[1]));
    }

    /** @return its client id: {@code <deviceId>} or {@code <deviceId>/<moduleId>} */
    public String id() {
        return moduleId == null ? deviceId : deviceId + "/" + moduleId;
    }

    /** @return the resource its SAS tokens are signed for: {@code <hostName>/devices/<d>[/modules/<m>]} */
    public String sasResource(String hostName) {
        return hostName + "/devices/" + deviceId + (moduleId == null ? "" : "/modules/" + moduleId);
    }

    @Override
    public String toString() {
        return id();
    }
}
