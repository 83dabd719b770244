/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.outpost.api.message.Message;
import org.outpost.protocol.IotHubTopic;
import org.outpost.protocol.PropertyBag;
import org.outpost.routing.api.Routing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cloud-to-device messages that reach the gateway over the upstream link. One addressed to a module input
 * ({@code $.to = /devices/<d>/modules/<m>/inputs/<i>}, {@code hub:c2d -m <module> -i <input>}) is stored in that
 * input's queue before the cloud is acknowledged; others have no receiver on a gateway and are logged and dropped.
 */
final class CloudToDevice implements UpstreamLink.Inbound {

    private static final Logger LOG = LoggerFactory.getLogger(CloudToDevice.class);
    /** The {@code $.to} of a cloud-to-device message for a module input. */
    private static final Pattern MODULE_INPUT = Pattern.compile("/devices/([^/]+)/modules/([^/]+)/inputs/([^/]+)");
    private static final long STORE_TIMEOUT_SECONDS = 10;

    private final Routing routing;
    private final Supplier<String> deviceId;

    CloudToDevice(Routing routing, Supplier<String> deviceId) {
        this.routing = routing;
        this.deviceId = deviceId;
    }

    /**
     * Stores a cloud-to-device message for its module input, or drops it (logged) when it names none of this gateway.
     *
     * @throws Exception if it could not be stored in time: the cloud is not acknowledged and sends it again
     */
    @Override
    public void arrived(String topic, byte[] body) throws Exception {
        IotHubTopic t = IotHubTopic.parse(topic).orElse(null);
        if (!(t instanceof IotHubTopic.CloudToDevice c2d)) {
            LOG.warn("Ignoring a message on '{}' from the cloud: not a cloud-to-device topic", topic);
            return;
        }
        Map<String, String> p = c2d.properties();
        Matcher to = MODULE_INPUT.matcher(p.getOrDefault(PropertyBag.TO, ""));
        if (!to.matches() || !to.group(1).equals(deviceId.get())) {
            LOG.warn("Dropping cloud-to-device message {}: it names no module input of this gateway (to '{}'); send"
                    + " it with hub:c2d -m <module> -i <input>", p.get(PropertyBag.MESSAGE_ID),
                    p.getOrDefault(PropertyBag.TO, ""));
            return;
        }
        Map<String, String> application = new TreeMap<>();
        p.forEach((k, v) -> {
            if (!k.startsWith("$.")) {
                application.put(k, v);
            }
        });
        Message m = Message.builder().body(body)
                .messageId(p.get(PropertyBag.MESSAGE_ID)).correlationId(p.get(PropertyBag.CORRELATION_ID))
                .contentType(p.get(PropertyBag.CONTENT_TYPE)).contentEncoding(p.get(PropertyBag.CONTENT_ENCODING))
                .connectionDeviceId(deviceId.get()).properties(application).build();
        routing.deliver(to.group(2), to.group(3), m).toCompletableFuture().get(STORE_TIMEOUT_SECONDS,
                TimeUnit.SECONDS);
        LOG.info("Cloud-to-device message {} stored for {}/{}", m.messageId(), to.group(2), to.group(3));
    }
}
