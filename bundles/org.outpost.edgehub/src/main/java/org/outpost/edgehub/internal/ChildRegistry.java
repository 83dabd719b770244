/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import org.outpost.downstream.api.ChildRelay;
import org.outpost.downstream.api.ChildScope;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.IdentityRegistry;
import org.outpost.iothub.spi.MethodResult;
import org.outpost.iothub.spi.Subscription;
import org.outpost.protocol.DeviceScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity registry extension at the gateway's endpoint, for its child gateways: a child gateway's module
 * identity requests go to the hub through the {@link ChildRelay}; its device scope is the part of this gateway's scope
 * below it ({@link DeviceScope#below}), answered from the gateway's stored scope (so also while the hub is away), and
 * it hears of a change whenever that part changes. The gateway's own modules register nothing here (the gateway
 * registers them at the hub itself).
 */
final class ChildRegistry implements IdentityRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ChildRegistry.class);

    private final Supplier<String> gatewayId;
    private final ChildScope scope;
    private final ChildRelay relay;

    ChildRegistry(Supplier<String> gatewayId, ChildScope scope, ChildRelay relay) {
        this.gatewayId = gatewayId;
        this.scope = scope;
        this.relay = relay;
    }

    @Override
    public Answer putModule(Identity caller, String moduleId, String bodyJson) {
        return gateway(caller).isPresent() ? relay.putModule(caller, moduleId, bodyJson) : notAGateway(caller);
    }

    @Override
    public Answer deleteModule(Identity caller, String moduleId) {
        return gateway(caller).isPresent() ? relay.deleteModule(caller, moduleId) : notAGateway(caller);
    }

    @Override
    public Answer scope(Identity caller) {
        Optional<String> gateway = gateway(caller);
        if (gateway.isEmpty()) {
            return notAGateway(caller);
        }
        Optional<DeviceScope> current = scope.current();
        if (current.isEmpty()) {
            return new Answer(404, MethodResult.message("this gateway has no device scope yet (it has not heard"
                    + " from the hub); ask again when it changes"));
        }
        return new Answer(200, current.get().below(gateway.get()).toJson());
    }

    @Override
    public Subscription onScopeChange(Identity caller, LongConsumer changed) {
        Optional<String> gateway = gateway(caller);
        if (gateway.isEmpty()) {
            return () -> {
            };
        }
        String b = gateway.get();
        AtomicReference<Object> last = new AtomicReference<>(scope.current().map(s -> s.below(b).devices())
                .orElse(null));
        AutoCloseable stop = scope.onChange(s -> {
            Object below = s.below(b).devices();
            if (!below.equals(last.getAndSet(below))) {
                changed.accept(s.version());
            }
        });
        return () -> {
            try {
                stop.close();
            } catch (Exception e) {
                LOG.debug("Removing a scope listener of {}: {}", caller, e.toString());
            }
        };
    }

    /**
     * @return the child gateway the caller is (its device), or its {@code $edgeHub}/{@code $edgeAgent}; empty for
     *         anyone else (a leaf, the gateway's own modules)
     */
    private Optional<String> gateway(Identity caller) {
        if (caller.deviceId().equals(gatewayId.get())) {
            return Optional.empty();
        }
        return switch (caller.kind()) {
            case CHILD_GATEWAY -> Optional.of(caller.deviceId());
            case MODULE -> ChildAuthenticator.SYSTEM_MODULES.contains(caller.moduleId()) ? Optional.of(caller
                    .deviceId()) : Optional.empty();
            default -> Optional.empty();
        };
    }

    private Answer notAGateway(Identity caller) {
        return new Answer(403, MethodResult.message(caller + " is not a gateway below this one (" + gatewayId.get()
                + "): only a child gateway, its $edgeAgent or $edgeHub use the identity registry here"));
    }
}
