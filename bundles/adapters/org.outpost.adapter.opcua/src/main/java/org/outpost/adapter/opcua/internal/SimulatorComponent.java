/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.adapter.opcua.internal;

import java.time.Duration;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.adapter.opcua.simulator.OpcUaSimulator;

/**
 * Runs the OPC UA simulator in the gateway for demos, while the configuration {@value #PID} exists (the feature
 * {@code outpost-opcua-simulator} creates it; delete it, or uninstall the feature, to stop the server).
 */
@Component(configurationPid = SimulatorComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = SimulatorComponent.Config.class)
public final class SimulatorComponent {

    static final String PID = "org.outpost.adapter.opcua.simulator";

    @ObjectClassDefinition(name = "Outpost OPC UA simulator",
            description = "An OPC UA server with changing tags ns=2;s=Temperature, Pressure and Counter, security"
                    + " None, anonymous access. For demos and tests: never expose it to a network.")
    public @interface Config {
        @AttributeDefinition(description = "TCP port to listen on")
        int port() default 4840;

        @AttributeDefinition(description = "Local address to listen on (0.0.0.0 for all)")
        String bind_address() default "127.0.0.1";

        @AttributeDefinition(description = "Host name in the advertised endpoint URL (empty: the bind address)")
        String hostname() default "";

        @AttributeDefinition(description = "Milliseconds between value changes (at least 10)")
        long interval_ms() default 500;
    }

    /** Milo's shared threads: released only after this component is deactivated. */
    @Reference
    private MiloResources milo;

    private OpcUaSimulator simulator;

    @Activate
    void activate(Config config) {
        simulator = OpcUaSimulator.start(OpcUaSimulator.settings()
                .port(config.port())
                .bindAddress(config.bind_address())
                .hostname(config.hostname())
                .interval(Duration.ofMillis(config.interval_ms())));
    }

    @Modified
    void modified(Config config) {
        deactivate();
        activate(config);
    }

    @Deactivate
    void deactivate() {
        if (simulator != null) {
            simulator.close();
            simulator = null;
        }
    }
}
