/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.adapter.modbus.simulator.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.adapter.modbus.simulator.ModbusSimulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator as a demo device inside the gateway: runs only while {@code etc/org.outpost.modbus.simulator.cfg}
 * exists. Every {@code changeIntervalMs} it moves holding registers 0 (a counter), 1 (a temperature in tenths of a
 * degree, around 21.5) and 2 (a pressure in hPa, around 1013); 0 keeps them still.
 */
@Component(service = {}, configurationPid = SimulatorComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SimulatorComponent.Config.class)
public final class SimulatorComponent {

    static final String PID = "org.outpost.modbus.simulator";
    private static final Logger LOG = LoggerFactory.getLogger(SimulatorComponent.class);

    @ObjectClassDefinition(name = "Outpost Modbus TCP simulator", description = "A Modbus TCP slave for demos")
    public @interface Config {
        @AttributeDefinition(description = "Address to listen on")
        String host() default "127.0.0.1";

        @AttributeDefinition(description = "TCP port (502 is Modbus's, but needs privileges)")
        int port() default 5020;

        @AttributeDefinition(description = "Unit identifier answered")
        int unitId() default 1;

        @AttributeDefinition(description = "Registers, coils and discrete inputs of the unit")
        int size() default 16;

        @AttributeDefinition(description = "Milliseconds between changes of holding registers 0 to 2; 0 = never")
        long changeIntervalMs() default 1000;
    }

    private final ModbusSimulator simulator;
    private final ScheduledExecutorService changer;

    @Activate
    public SimulatorComponent(Config config) {
        simulator = ModbusSimulator.start(config.host(), config.port(), config.unitId(), Math.max(3, config.size()));
        simulator.setHoldingRegister(1, 215);
        simulator.setHoldingRegister(2, 1013);
        if (config.changeIntervalMs() > 0) {
            changer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "outpost-modbus-simulator"));
            long[] tick = {0};
            changer.scheduleAtFixedRate(() -> {
                long t = ++tick[0];
                simulator.setHoldingRegister(0, (int) (t & 0xFFFF));
                simulator.setHoldingRegister(1, (int) Math.round(215 + 30 * Math.sin(t / 10.0)));
                simulator.setHoldingRegister(2, (int) Math.round(1013 + 5 * Math.cos(t / 7.0)));
            }, config.changeIntervalMs(), config.changeIntervalMs(), TimeUnit.MILLISECONDS);
        } else {
            changer = null;
        }
        LOG.info("{} started (PID {})", simulator, PID);
    }

    @Deactivate
    void deactivate() {
        if (changer != null) {
            changer.shutdownNow();
        }
        simulator.close();
        LOG.info("{} stopped", simulator);
    }
}
