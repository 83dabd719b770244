/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The module identities of this gateway, kept in an owner-only file under {@code ${karaf.data}}. The deployment
 * creates a module's identity when it adds the module and deletes it when it removes the module; the gateway's link
 * to the hub registers them there ({@link #pending()}), so a module added while the hub is away works locally at once
 * and is known to the hub when it is back.
 * <p>
 * The system modules {@code $edgeAgent} and {@code $edgeHub} have no identity here: the gateway itself acts for them
 * with the device's own credentials.
 */
@ProviderType
public interface ModuleIdentities {

    /** @return the gateway's device id */
    String deviceId();

    /**
     * Makes the module's identity if it has none: new keys and a new generation id, not yet at the hub.
     *
     * @return its identity, new or as it was
     * @throws IllegalArgumentException if the name is not a valid module id, or is a system module's
     */
    ModuleIdentity create(String moduleId);

    /** @return the module's identity, if it has one */
    Optional<ModuleIdentity> identity(String moduleId);

    /** @return every module identity, by module id */
    List<ModuleIdentity> identities();

    /**
     * Deletes the module's identity: it can no longer connect or sign, and the hub is told when it can be.
     *
     * @return whether it had one
     */
    boolean delete(String moduleId);

    /**
     * Gives the module's identity new primary and secondary keys (same generation, to be registered at the hub again):
     * every token and credential made with the old keys stops working, and the module's open connections are closed
     * ({@link #onRevoked}).
     *
     * @return its identity with the new keys
     * @throws IllegalArgumentException if the module has no identity
     */
    default ModuleIdentity rekey(String moduleId) {
        throw new UnsupportedOperationException("these module identities cannot be re-keyed");
    }

    /**
     * The one signal every listener of the gateway acts on: the credentials of a module stopped working, because its
     * identity was deleted, re-keyed, or moved to another device id (then every module is told), and its open
     * connections must close.
     *
     * @param listener takes the module id; run (on any thread) right after the change, so quick
     * @return stops it
     */
    default AutoCloseable onRevoked(Consumer<String> listener) {
        return () -> {
        };
    }

    /**
     * What the hub has yet to hear: identities to register (not {@link ModuleIdentity#registered registered}) and
     * module ids whose identities were deleted here.
     */
    record Pending(List<ModuleIdentity> toRegister, List<String> toDelete) {
        public Pending {
            toRegister = List.copyOf(toRegister);
            toDelete = List.copyOf(toDelete);
        }

        public boolean isEmpty() {
            return toRegister.isEmpty() && toDelete.isEmpty();
        }
    }

    /** @return what the hub has yet to hear */
    Pending pending();

    /** The hub holds this generation of the module's identity now (ignored if it is not the current generation). */
    void registeredAtHub(String moduleId, String generationId);

    /** The hub has deleted the module's identity (ignored if the module has an identity again since). */
    void deletedAtHub(String moduleId);

    /**
     * @param listener run (on any thread) whenever an identity is created or deleted, so the link to the hub can tell
     *            it
     * @return stops it
     */
    AutoCloseable onChange(Runnable listener);

    /** How a module reaches the workload API and the gateway: as a process on this host, or inside a container. */
    enum Placement {
        /** A process on the gateway's host: the workload socket's own path, the gateway's host name. */
        PROCESS,
        /** A container: the socket mounted at IoT Edge's path {@value #CONTAINER_WORKLOAD_SOCKET}. */
        CONTAINER;

        /** Where a container module finds its workload socket, as in IoT Edge. */
        public static final String CONTAINER_WORKLOAD_SOCKET = "/var/run/iotedge/workload.sock";
    }

    /**
     * The environment IoT Edge gives a module, so that an Azure IoT SDK's {@code ModuleClient.createFromEnvironment()}
     * connects to this gateway: {@code IOTEDGE_WORKLOADURI}, {@code IOTEDGE_DEVICEID}, {@code IOTEDGE_MODULEID},
     * {@code IOTEDGE_MODULEGENERATIONID}, {@code IOTEDGE_IOTHUBHOSTNAME}, {@code IOTEDGE_GATEWAYHOSTNAME},
     * {@code IOTEDGE_APIVERSION}, {@code IOTEDGE_AUTHSCHEME=sasToken}. Holds no key.
     *
     * @throws IllegalArgumentException if the module has no identity
     */
    Map<String, String> environment(String moduleId, Placement placement);

    /**
     * @return the module's connection string for local debugging, as IoT Edge's simulator gives it:
     *         {@code HostName=<hub host name>;DeviceId=<device>;ModuleId=<module>;SharedAccessKey=<primary key>;GatewayHostName=<gateway host>}
     * @throws IllegalArgumentException if the module has no identity
     */
    String connectionString(String moduleId);
}
