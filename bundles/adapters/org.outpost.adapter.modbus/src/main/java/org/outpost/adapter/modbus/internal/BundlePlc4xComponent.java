/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.adapter.modbus.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.component.plc4x.Plc4XComponent;
import org.apache.camel.component.plc4x.Plc4XEndpoint;
import org.apache.camel.util.PropertiesHelper;

/**
 * camel-plc4x's {@code plc4x} component whose endpoints find the PLC4X drivers in this bundle. camel-plc4x looks them
 * up (a {@link java.util.ServiceLoader}) through the Camel context's application class loader, which in OSGi does not
 * see this bundle's embedded drivers; {@link BundlePlc4xEndpoint} uses this bundle's class loader. This bundle's
 * {@code META-INF/services/org/apache/camel/component/plc4x} names this class, ahead of camel-plc4x's own.
 */
@org.apache.camel.spi.annotations.Component("plc4x")
public class BundlePlc4xComponent extends Plc4XComponent {

    @Override
    @SuppressWarnings("unchecked")
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        // As Plc4XComponent.createEndpoint (Camel 4.17.0), with the endpoint class replaced.
        Plc4XEndpoint endpoint = new BundlePlc4xEndpoint(uri, this);
        Map<String, String> tags = getAndRemoveOrResolveReferenceParameter(parameters, "tags", Map.class);
        Map<String, Object> tagParameters = PropertiesHelper.extractProperties(parameters, "tag.");
        if (tagParameters != null) {
            if (tags == null) {
                tags = new LinkedHashMap<>();
            }
            for (Map.Entry<String, Object> tag : tagParameters.entrySet()) {
                tags.put(tag.getKey(), tag.getValue().toString());
            }
        }
        if (tags != null) {
            endpoint.setTags(tags);
        }
        String trigger = getAndRemoveOrResolveReferenceParameter(parameters, "trigger", String.class);
        if (trigger != null) {
            endpoint.setTrigger(trigger);
        }
        Integer period = getAndRemoveOrResolveReferenceParameter(parameters, "period", Integer.class);
        if (period != null) {
            endpoint.setPeriod(period);
        }
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
