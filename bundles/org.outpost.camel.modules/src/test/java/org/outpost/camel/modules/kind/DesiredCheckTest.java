/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.kind;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.outpost.camel.modules.deploy.Placeholders;
import org.outpost.manifest.ManifestException;

class DesiredCheckTest {

    private static final Map<String, Placeholders.Placeholder> ROUTES = Placeholders.of("""
            - from:
                uri: "timer:t?period={{period:1000}}"
                steps:
                  - filter:
                      simple: "${body} > {{threshold:1.5}}"
                  - to: "log:{{verbose:false}}-{{opcua.endpoint}}-{{name:reader}}"
            """);

    private static void check(String desired) throws ManifestException {
        DesiredCheck.check("opcua-reader", ROUTES, desired);
    }

    @Test
    void valuesOfThePlaceholdersTypesPassNestedOrDotted() {
        assertThatCode(() -> check("{\"$version\": 3, \"period\": 50, \"threshold\": 2, \"verbose\": true,"
                + " \"opcua\": {\"endpoint\": \"opc.tcp://x:4840\"}, \"name\": \"r\", \"other\": [1]}"))
                .doesNotThrowAnyException();
        assertThatCode(() -> check("{\"opcua.endpoint\": 4840, \"threshold\": 2.5}")).doesNotThrowAnyException();
    }

    @Test
    void aWrongTypeIsRefusedWithTheJsonPathAndWhatWasExpected() {
        assertThatThrownBy(() -> check("{\"opcua.endpoint\": \"e\", \"threshold\": \"x\"}"))
                .isInstanceOf(ManifestException.class)
                .hasMessageStartingWith("400 modulesContent.opcua-reader.properties.desired.threshold: expected a"
                        + " number, got \"x\"")
                .hasMessageContaining("{{threshold:1.5}} is a number by its default");
        assertThatThrownBy(() -> check("{\"opcua.endpoint\": \"e\", \"period\": 1.5}"))
                .hasMessageStartingWith("400 modulesContent.opcua-reader.properties.desired.period: expected an"
                        + " integer, got 1.5");
        assertThatThrownBy(() -> check("{\"opcua.endpoint\": \"e\", \"verbose\": \"yes\"}"))
                .hasMessageContaining("desired.verbose: expected a boolean, got \"yes\"");
        assertThatThrownBy(() -> check("{\"opcua.endpoint\": \"e\", \"name\": 7}"))
                .hasMessageContaining("desired.name: expected a string, got 7");
        assertThatThrownBy(() -> check("{\"opcua\": {\"endpoint\": {\"host\": \"x\"}}}"))
                .hasMessageContaining("desired.opcua.endpoint: expected a value, got an object");
    }

    @Test
    void aPlaceholderWithoutDefaultMustBeGiven() {
        assertThatThrownBy(() -> check("{\"period\": 5}"))
                .hasMessageStartingWith("400 modulesContent.opcua-reader.properties.desired.opcua.endpoint: missing:"
                        + " the routes' placeholder {{opcua.endpoint}} has no default");
        assertThatThrownBy(() -> check("{\"opcua\": {\"endpoint\": null}}")).hasMessageContaining("missing");
    }
}
