/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.runtime;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Lets modules that run outside the framework (container modules: processes and OCI containers) reach the gateway's
 * broker over MQTT as themselves. A grant is a set of environment variables, documented in {@code docs/modules.md}:
 * <ul>
 * <li>{@value #MODULE_ID}, {@value #DEVICE_ID} and their IoT Edge names {@code IOTEDGE_MODULEID},
 * {@code IOTEDGE_DEVICEID};</li>
 * <li>{@value #MQTT_URL} ({@code tcp://host:port}), {@value #MQTT_HOST}, {@value #MQTT_PORT}, {@value #MQTT_CLIENT_ID}
 * ({@code device/module}), {@value #MQTT_USERNAME}, {@value #MQTT_PASSWORD};</li>
 * <li>{@value #EVENTS_TOPIC}: where the module publishes its messages (IoT Hub module telemetry topics; the output name
 * is the {@code $.on} property), and {@value #INPUTS_TOPIC}: the prefix under which it receives its inputs.</li>
 * </ul>
 * Credentials are random, held in memory and stop working when revoked or when the gateway restarts.
 */
@ProviderType
public interface ModuleAccess {

    String MODULE_ID = "OUTPOST_MODULE_ID";
    String DEVICE_ID = "OUTPOST_DEVICE_ID";
    String MQTT_URL = "OUTPOST_MQTT_URL";
    String MQTT_HOST = "OUTPOST_MQTT_HOST";
    String MQTT_PORT = "OUTPOST_MQTT_PORT";
    String MQTT_CLIENT_ID = "OUTPOST_MQTT_CLIENT_ID";
    String MQTT_USERNAME = "OUTPOST_MQTT_USERNAME";
    String MQTT_PASSWORD = "OUTPOST_MQTT_PASSWORD";
    String EVENTS_TOPIC = "OUTPOST_EVENTS_TOPIC";
    String INPUTS_TOPIC = "OUTPOST_INPUTS_TOPIC";

    /**
     * Issues new credentials for a module; those issued to it before stop working.
     *
     * @param module the module id
     * @return the environment variables that tell the module who it is and how to reach the broker
     */
    Map<String, String> grant(String module);

    /**
     * Withdraws a module's credentials; its connections are refused from now on.
     *
     * @param module the module id
     */
    void revoke(String module);
}
