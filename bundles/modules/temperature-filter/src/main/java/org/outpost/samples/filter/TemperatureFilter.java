/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.samples.filter;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.api.message.Message;
import org.outpost.api.module.EdgeModule;
import org.outpost.api.module.InputHandler;
import org.outpost.api.module.ModuleClient;
import org.outpost.api.module.ModuleInput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives readings on {@value #INPUT} and forwards to {@value #OUTPUT} only those whose {@code machine.temperature}
 * exceeds {@code threshold}, with the application property {@code MessageType=Alert}. A message that is not a reading
 * is logged and dropped (it cannot become one by being retried).
 * <p>
 * Configuration PID {@code org.outpost.samples.filter}: {@code threshold} (degrees Celsius).
 */
@EdgeModule("temperature-filter")
@Component(configurationPid = "org.outpost.samples.filter")
@ModuleInput(TemperatureFilter.INPUT)
@Designate(ocd = TemperatureFilter.Config.class)
public final class TemperatureFilter implements InputHandler {

    @ObjectClassDefinition(name = "Temperature filter")
    public @interface Config {
        @AttributeDefinition(description = "Machine temperature (C) above which a reading is forwarded as an alert.")
        double threshold() default 25;
    }

    static final String INPUT = "input1";
    static final String OUTPUT = "output1";
    private static final Logger LOG = LoggerFactory.getLogger(TemperatureFilter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModuleClient client;
    private volatile double threshold;

    @Activate
    public TemperatureFilter(@Reference ModuleClient client, Config config) {
        this.client = client;
        this.threshold = config.threshold();
    }

    @Modified
    void modified(Config config) {
        this.threshold = config.threshold();
    }

    @Override
    public void onMessage(Message message) throws Exception {
        Double temperature = machineTemperature(message);
        if (temperature == null) {
            LOG.warn("Dropping message {}: it has no machine.temperature", message.messageId());
            return;
        }
        if (temperature > threshold) {
            client.send(OUTPUT, message.toBuilder().messageId(null).property("MessageType", "Alert").build());
        }
    }

    /** @return the reading's machine temperature, or null if the body is not a reading */
    static Double machineTemperature(Message message) {
        try {
            JsonNode t = JSON.readTree(message.body()).path("machine").path("temperature");
            return t.isNumber() ? t.doubleValue() : null;
        } catch (IOException notJson) {
            return null;
        }
    }
}
