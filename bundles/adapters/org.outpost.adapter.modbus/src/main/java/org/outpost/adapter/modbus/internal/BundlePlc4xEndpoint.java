/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.adapter.modbus.internal;

import org.apache.camel.Component;
import org.apache.camel.component.plc4x.Plc4XEndpoint;
import org.apache.plc4x.java.DefaultPlcDriverManager;

/** A {@code plc4x} endpoint whose driver manager loads the drivers and transports embedded in this bundle. */
public class BundlePlc4xEndpoint extends Plc4XEndpoint {

    public BundlePlc4xEndpoint(String endpointUri, Component component) {
        super(endpointUri, component);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        plcDriverManager = new DefaultPlcDriverManager(BundlePlc4xEndpoint.class.getClassLoader());
    }
}
