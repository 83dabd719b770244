/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.samples.filter;

import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;

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
import org.outpost.api.module.MethodHandler;
import org.outpost.api.module.ModuleClient;
import org.outpost.api.module.ModuleInput;
import org.outpost.api.module.ModuleTwin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives readings on {@value #INPUT} and forwards to {@value #OUTPUT} only those whose {@code machine.temperature}
 * exceeds {@code threshold}, with the application property {@code MessageType=Alert}. A message that is not a reading
 * is logged and dropped (it cannot become one by being retried).
 * <p>
 * Configuration PID {@code org.outpost.samples.filter}: {@code threshold} (degrees Celsius). Its Metatype definition
 * makes it a typed twin: a desired {@code threshold} that is not a number is refused before it reaches the module. The
 * module reports the threshold it uses, and answers the direct method {@code stats} with
 * {@code {"threshold", "readings", "alerts"}}.
 */
@EdgeModule("temperature-filter")
@Component(configurationPid = "org.outpost.samples.filter", service = {InputHandler.class, MethodHandler.class},
        property = MethodHandler.NAME + "=stats")
@ModuleInput(TemperatureFilter.INPUT)
@Designate(ocd = TemperatureFilter.Config.class)
public final class TemperatureFilter implements InputHandler, MethodHandler {

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
    private final ModuleTwin twin;
    private final LongAdder readings = new LongAdder();
    private final LongAdder alerts = new LongAdder();
    private volatile double threshold;

    @Activate
    public TemperatureFilter(@Reference ModuleClient client, @Reference ModuleTwin twin, Config config) {
        this.client = client;
        this.twin = twin;
        modified(config);
    }

    @Modified
    void modified(Config config) {
        this.threshold = config.threshold();
        twin.patchReported(JSON.createObjectNode().put("threshold", threshold).toString());
    }

    @Override
    public Result invoke(String payloadJson) {
        return Result.ok(JSON.createObjectNode().put("threshold", threshold).put("readings", readings.sum())
                .put("alerts", alerts.sum()).toString());
    }

    @Override
    public void onMessage(Message message) throws Exception {
        Double temperature = machineTemperature(message);
        if (temperature == null) {
            LOG.warn("Dropping message {}: it has no machine.temperature", message.messageId());
            return;
        }
        readings.increment();
        if (temperature > threshold) {
            alerts.increment();
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
