/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import java.util.Optional;
import java.util.function.Supplier;

import org.outpost.iothub.IotHubAcl;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.TopicAcl;
import org.outpost.protocol.DeviceScope;
import org.outpost.protocol.IotHubTopic;
import org.outpost.protocol.TelemetryTopic;

/**
 * The topics of the gateway's endpoint: its own modules as IoT Hub's rules say ({@link IotHubAcl}); a child device
 * sends only under its own {@code devices/<c>/messages/events/} and subscribes to its twin, method and
 * cloud-to-device topics; a child gateway B (its upstream drain, client id B) sends under
 * {@code devices/<B or a device below B>/[modules/<m>/]messages/events/} and subscribes also to the identity
 * registry's answers and its scope's changes, as do its {@code $edgeAgent} and {@code $edgeHub}; a module of a child
 * gateway sends only as itself.
 */
final class ChildAcl implements TopicAcl {

    private final TopicAcl iotHub = new IotHubAcl();
    private final Supplier<String> gatewayId;
    private final Supplier<Optional<DeviceScope>> scope;

    ChildAcl(Supplier<String> gatewayId, Supplier<Optional<DeviceScope>> scope) {
        this.gatewayId = gatewayId;
        this.scope = scope;
    }

    @Override
    public boolean maySubscribe(Identity identity, String filter) {
        if (identity.kind() == Identity.Kind.MODULE && identity.deviceId().equals(gatewayId.get())) {
            return iotHub.maySubscribe(identity, filter);
        }
        if (filter.equals(IotHubTopic.TWIN_RESPONSES) || filter.equals(IotHubTopic.DESIRED_PATCHES)
                || filter.equals(IotHubTopic.METHOD_CALLS)) {
            return true;
        }
        return switch (identity.kind()) {
            case CHILD_DEVICE -> filter.equals(IotHubTopic.CloudToDevice.filter(identity.deviceId()));
            case CHILD_GATEWAY -> filter.equals(IotHubTopic.CloudToDevice.filter(identity.deviceId()))
                    || registry(filter);
            case MODULE -> ChildAuthenticator.SYSTEM_MODULES.contains(identity.moduleId()) && registry(filter);
            default -> false;
        };
    }

    private static boolean registry(String filter) {
        return filter.equals(IotHubTopic.IDENTITY_RESPONSES) || filter.equals(IotHubTopic.SCOPE_CHANGES);
    }

    @Override
    public boolean maySend(Identity identity, TelemetryTopic topic) {
        return switch (identity.kind()) {
            case CHILD_DEVICE -> topic.deviceId().equals(identity.deviceId()) && topic.moduleId() == null;
            case CHILD_GATEWAY -> topic.deviceId().equals(identity.deviceId()) || scope.get().map(s -> s.isBelow(
                    topic.deviceId(), identity.deviceId())).orElse(false);
            default -> iotHub.maySend(identity, topic);
        };
    }
}
