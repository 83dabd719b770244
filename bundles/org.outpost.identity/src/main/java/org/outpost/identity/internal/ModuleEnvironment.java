/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.outpost.identity.api.ModuleIdentities.Placement;
import org.outpost.identity.api.ModuleIdentity;

/**
 * What IoT Edge tells a module, as the Azure IoT SDKs' {@code ModuleClient.createFromEnvironment()} reads it: the Java
 * SDK requires every variable below but the gateway host name and the API version, takes the workload URI's path after
 * {@code unix://}, accepts the auth scheme {@code sasToken} only (any case), and fetches the trust bundle when a
 * gateway host name is set. (The Java SDK then always asks the workload API with {@code api-version=2018-06-28}; the
 * Python and Node SDKs send {@code IOTEDGE_APIVERSION}.)
 */
final class ModuleEnvironment {

    static final String WORKLOAD_URI = "IOTEDGE_WORKLOADURI";
    static final String DEVICE_ID = "IOTEDGE_DEVICEID";
    static final String MODULE_ID = "IOTEDGE_MODULEID";
    static final String GENERATION_ID = "IOTEDGE_MODULEGENERATIONID";
    static final String IOTHUB_HOST_NAME = "IOTEDGE_IOTHUBHOSTNAME";
    static final String GATEWAY_HOST_NAME = "IOTEDGE_GATEWAYHOSTNAME";
    static final String API_VERSION = "IOTEDGE_APIVERSION";
    static final String AUTH_SCHEME = "IOTEDGE_AUTHSCHEME";

    private ModuleEnvironment() {
    }

    /** @return the module's environment, in the order above; holds no key */
    static Map<String, String> of(ModuleIdentity identity, Placement placement, IdentitySettings settings) {
        String socket = placement == Placement.CONTAINER ? Placement.CONTAINER_WORKLOAD_SOCKET
                : new WorkloadSockets(settings.workloadDir()).socket(identity.moduleId()).toString();
        Map<String, String> env = new LinkedHashMap<>();
        env.put(WORKLOAD_URI, "unix://" + socket);
        env.put(DEVICE_ID, identity.deviceId());
        env.put(MODULE_ID, identity.moduleId());
        env.put(GENERATION_ID, identity.generationId());
        env.put(IOTHUB_HOST_NAME, settings.hubHostName());
        env.put(GATEWAY_HOST_NAME, settings.gatewayHostName());
        env.put(API_VERSION, settings.apiVersion());
        env.put(AUTH_SCHEME, "sasToken");
        return Collections.unmodifiableMap(env);
    }

    /**
     * @return {@code HostName=<hub>;DeviceId=<device>;ModuleId=<module>;SharedAccessKey=<primary key>;
     *         GatewayHostName=<gateway>}, as IoT Edge's simulator gives a module for {@code EdgeHubConnectionString}
     */
    static String connectionString(ModuleIdentity identity, IdentitySettings settings) {
        return "HostName=" + settings.hubHostName() + ";DeviceId=" + identity.deviceId() + ";ModuleId="
                + identity.moduleId() + ";SharedAccessKey=" + identity.primaryKey() + ";GatewayHostName="
                + settings.gatewayHostName();
    }
}
