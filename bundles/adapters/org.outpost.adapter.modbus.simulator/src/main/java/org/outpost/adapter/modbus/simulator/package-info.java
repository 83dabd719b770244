/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * A Modbus TCP slave for tests and demos: {@link org.outpost.adapter.modbus.simulator.ModbusSimulator}.
 */
@Export
@Version("1.0.0")
package org.outpost.adapter.modbus.simulator;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
