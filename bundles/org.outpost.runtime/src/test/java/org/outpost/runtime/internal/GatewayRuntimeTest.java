/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.wiring.BundleRequirement;

class GatewayRuntimeTest {

    @Test
    void describesAMissingPackageAsAnOperatorReadsIt() {
        assertThat(GatewayRuntime.describe(requirement("osgi.wiring.package",
                "(&(osgi.wiring.package=com.acme.x)(version>=1.0.0)(!(version>=2.0.0)))")))
                .isEqualTo("package com.acme.x");
    }

    @Test
    void describesOtherRequirementsByNamespaceAndFilter() {
        assertThat(GatewayRuntime.describe(requirement("osgi.service", "(objectClass=com.acme.Thing)")))
                .isEqualTo("osgi.service (objectClass=com.acme.Thing)");
    }

    @Test
    void countsPerModule() {
        ModuleCounters counters = new ModuleCounters();
        counters.sent("a");
        counters.sent("a");
        counters.received("b");

        assertThat(counters.sentBy("a")).isEqualTo(2);
        assertThat(counters.receivedBy("a")).isZero();
        assertThat(counters.receivedBy("b")).isEqualTo(1);
    }

    @Test
    void aRouteModulesBundleIsOfTypeCamelAndItsReasonNamesTheFileLineAndColumn() {
        java.util.Hashtable<String, String> headers = new java.util.Hashtable<>(Map.of("Outpost-Module", "reader"));
        assertThat(GatewayRuntime.typeOf(headers)).isEqualTo("bundle");
        headers.put("Outpost-Camel-Routes", "routes/reader.camel.yaml");
        assertThat(GatewayRuntime.typeOf(headers)).isEqualTo("camel");

        assertThat(GatewayRuntime.withoutExceptionNames("component outpost.route-module.reader failed to activate:"
                + " org.osgi.service.component.ComponentException: java.lang.IllegalArgumentException:"
                + " routes/reader.camel.yaml line 7, column 5: unknown step 'fliter'")).isEqualTo("component"
                        + " outpost.route-module.reader failed to activate: routes/reader.camel.yaml line 7, column 5:"
                        + " unknown step 'fliter'");
        assertThat(GatewayRuntime.withoutExceptionNames("component x waits for client (no service)"))
                .isEqualTo("component x waits for client (no service)");
    }

    private static BundleRequirement requirement(String namespace, String filter) {
        return (BundleRequirement) java.lang.reflect.Proxy.newProxyInstance(
                GatewayRuntimeTest.class.getClassLoader(), new Class<?>[] {BundleRequirement.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getNamespace" -> namespace;
                    case "getDirectives" -> Map.of("filter", filter);
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}
