/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.outpost.api.message.Message;
import org.outpost.camel.internal.Contexts;
import org.outpost.camel.modules.component.FakeModuleClient;
import org.outpost.camel.modules.component.FakeRegistrar;

/** Route files loaded for real with Camel's YAML and XML loaders, in contexts made as on the gateway. */
class ModuleRoutesTest {

    private final Contexts contexts = new Contexts(null);
    private final FakeModuleClient client = new FakeModuleClient("beat");
    private final FakeRegistrar registrar = new FakeRegistrar();
    private ModuleRoutes routes;

    @AfterEach
    void stop() {
        if (routes != null) {
            routes.stop();
        }
    }

    private ModuleRoutes routes(RouteFile... files) {
        routes = new ModuleRoutes("beat", getClass().getClassLoader(), List.of(files), contexts, client, registrar);
        return routes;
    }

    private static final String HEARTBEAT_YAML = """
            - route:
                id: heartbeat
                from:
                  uri: timer:beat
                  parameters:
                    period: "{{period:50}}"
                    includeMetadata: true
                  steps:
                    - setBody:
                        simple: '{"site": "{{site}}", "beat": ${exchangeProperty.CamelTimerCounter} }'
                    - to: outpost:output/heartbeat
            """;

    @Test
    void aYamlRouteRunsWithTheModulesPropertiesAndReloadsWithNewOnes() throws Exception {
        routes(new RouteFile("routes/beat.camel.yaml", HEARTBEAT_YAML)).start(Map.of("site", "north"));

        await().atMost(Duration.ofSeconds(10)).until(() -> client.bodies("heartbeat").size() >= 2);
        assertThat(client.bodies("heartbeat").get(0)).isEqualTo("{\"site\": \"north\", \"beat\": 1 }");
        assertThat(client.sent.get(0).message().contentType()).isEqualTo("application/json");
        assertThat(routes.context().getName()).isEqualTo("beat");

        routes.start(Map.of("site", "south", "period", "20"));
        client.sent.clear();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.bodies("heartbeat").size() >= 2);
        assertThat(client.bodies("heartbeat")).allMatch(b -> b.contains("\"south\""));
    }

    @Test
    void anXmlRouteRunsAndItsInputIsTheModulesWhileItRuns() throws Exception {
        String xml = """
                <routes xmlns="http://camel.apache.org/schema/spring">
                  <route id="double">
                    <from uri="outpost:input/in"/>
                    <setBody><simple>${body}${body}</simple></setBody>
                    <to uri="outpost:output/{{out:doubled}}"/>
                  </route>
                </routes>
                """;
        routes(new RouteFile("routes/double.camel.xml", xml)).start(Map.of());

        registrar.inputs.get("in").onMessage(Message.builder().body("ab").build());
        assertThat(client.bodies("doubled")).containsExactly("abab");

        routes.stop();
        assertThat(registrar.inputs).isEmpty();
    }

    @Test
    void camelsThreadPoolsAreTheModulesThreads() throws Exception {
        String yaml = """
                - route:
                    from:
                      uri: outpost:input/in
                      steps:
                        - threads:
                            poolSize: 2
                        - to: outpost:output/out
                """;
        routes(new RouteFile("routes/t.camel.yaml", yaml)).start(Map.of());
        registrar.inputs.get("in").onMessage(Message.builder().body("x").build());
        await().atMost(Duration.ofSeconds(5)).until(() -> client.bodies("out").size() == 1);
        assertThat(client.threads).isNotEmpty().allMatch(t -> t.getName().startsWith("outpost-beat-"));
    }

    @Test
    void systemPropertiesAndEnvironmentVariablesDoNotOverrideTheModulesProperties() throws Exception {
        String yaml = """
                - route:
                    from:
                      uri: outpost:input/in
                      steps:
                        - setBody:
                            constant: "{{path}}|{{outpost.test.site}}|{{sys:outpost.test.site}}|{{env:PATH}}"
                        - to: outpost:output/out
                """;
        System.setProperty("outpost.test.site", "from-jvm");
        try {
            routes(new RouteFile("routes/p.camel.yaml", yaml))
                    .start(Map.of("path", "from-module", "outpost.test.site", "module-site"));
            registrar.inputs.get("in").onMessage(Message.builder().body("x").build());
            assertThat(System.getenv("PATH")).isNotBlank();
            assertThat(client.bodies("out"))
                    .containsExactly("from-module|module-site|from-jvm|" + System.getenv("PATH"));
        } finally {
            System.clearProperty("outpost.test.site");
        }
    }

    @Test
    void brokenYamlFailsWithItsFileLineAndColumn() {
        String yaml = """
                - route:
                    from:
                      uri: timer:x
                      steps:
                        - to: [log:a
                """;
        assertThatThrownBy(() -> routes(new RouteFile("routes/bad.camel.yaml", yaml)).start(Map.of()))
                .isInstanceOf(RouteModuleException.class)
                .hasMessage("routes/bad.camel.yaml line 6, column 1: expected ',' or ']', but got <stream end> (while"
                        + " parsing a flow sequence)");
    }

    @Test
    void anUnknownYamlStepFailsWithItsLineAndColumn() {
        String yaml = """
                - route:
                    from:
                      uri: timer:x
                      steps:
                        - frobnicate:
                            speed: 3
                """;
        assertThatThrownBy(() -> routes(new RouteFile("routes/bad.camel.yaml", yaml)).start(Map.of()))
                .isInstanceOf(RouteModuleException.class)
                .hasMessage("routes/bad.camel.yaml line 5, column 11: Unknown node id: frobnicate");
    }

    @Test
    void brokenXmlFailsWithItsFileLineAndColumn() {
        String xml = """
                <routes xmlns="http://camel.apache.org/schema/spring">
                  <route>
                    <from uri="timer:x"/>
                    <to uri="log:x">
                  </route>
                </routes>
                """;
        assertThatThrownBy(() -> routes(new RouteFile("routes/bad.camel.xml", xml)).start(Map.of()))
                .isInstanceOf(RouteModuleException.class)
                .hasMessage("routes/bad.camel.xml line 5, column 11: end tag name </route> must match start tag name"
                        + " <to> from line 4");
    }

    @Test
    void anUnknownXmlElementFailsWithItsLine() {
        String xml = """
                <routes xmlns="http://camel.apache.org/schema/spring">
                  <route>
                    <from uri="timer:x"/>
                    <frobnicate uri="log:x"/>
                  </route>
                </routes>
                """;
        assertThatThrownBy(() -> routes(new RouteFile("routes/bad.camel.xml", xml)).start(Map.of()))
                .isInstanceOf(RouteModuleException.class)
                .hasMessageStartingWith("routes/bad.camel.xml line 4, column ")
                .hasMessageEndingWith("Unexpected element '{http://camel.apache.org/schema/spring}frobnicate'");
    }

    @Test
    void aPlaceholderWithoutValueOrDefaultFailsNamingItWhereItIs() {
        assertThatThrownBy(() -> routes(new RouteFile("routes/beat.camel.yaml", HEARTBEAT_YAML)).start(Map.of()))
                .isInstanceOf(RouteModuleException.class)
                .hasMessage("routes/beat.camel.yaml line 10, column 32: placeholder {{site}} has no value: set the"
                        + " module's desired property site or give a default ({{site:<default>}})");
        assertThat(registrar.inputs).isEmpty();
    }

    @Test
    void aComponentNobodyServesFailsNamingTheFeatureAndWhereItIsUsed() {
        String yaml = """
                - route:
                    from:
                      uri: milo-client:opc.tcp://localhost:4840
                      steps:
                        - to: outpost:output/values
                """;
        assertThatThrownBy(() -> routes(new RouteFile("routes/opc.camel.yaml", yaml)).start(Map.of()))
                .isInstanceOf(RouteModuleException.class)
                .hasMessage("routes/opc.camel.yaml line 3, column 12: component milo-client not found: install the"
                        + " feature outpost-adapter-opcua")
                .satisfies(e -> assertThat(((RouteModuleException) e).missing()).isEqualTo("milo-client"));
    }

    @Test
    void aStepThatCannotBeCreatedIsReportedAtItsLine() {
        String yaml = """
                - route:
                    from:
                      uri: timer:x
                      steps:
                        - log: a
                        - to: log:x?noSuchOption=1
                """;
        assertThatThrownBy(() -> routes(new RouteFile("routes/s.camel.yaml", yaml)).start(Map.of()))
                .isInstanceOf(RouteModuleException.class)
                .hasMessageStartingWith("routes/s.camel.yaml line 6, column 11: Failed to resolve endpoint:"
                        + " log://x?noSuchOption=1");
    }

    @Test
    void aNegatedPlaceholderWithoutValueFailsAsTheDeploymentSeesIt() {
        String yaml = """
                - route:
                    from:
                      uri: timer:x
                      steps:
                        - filter:
                            simple: "{{!off}}"
                            steps:
                              - to: "log:{{env:NO_SUCH_ENV_X:x}}"
                """;
        assertThat(org.outpost.camel.modules.deploy.Placeholders.of(yaml)).containsOnlyKeys("off");
        assertThatThrownBy(() -> routes(new RouteFile("routes/n.camel.yaml", yaml)).start(Map.of()))
                .isInstanceOf(RouteModuleException.class)
                .hasMessageStartingWith("routes/n.camel.yaml line 6, column 22: placeholder {{!off}} has no value");
    }

    @Test
    void placeholdersAndTheTypesTheirDefaultsGive() {
        assertThat(Placeholders.of("a {{host}} {{port:4840}} {{rate:0.5}} {{on:true}} {{env:HOME}} {{?opt}} {{x:y}}"))
                .extracting(Placeholders.Placeholder::name, Placeholders.Placeholder::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("host", "string"),
                        org.assertj.core.groups.Tuple.tuple("port", "integer"),
                        org.assertj.core.groups.Tuple.tuple("rate", "number"),
                        org.assertj.core.groups.Tuple.tuple("on", "boolean"),
                        org.assertj.core.groups.Tuple.tuple("x", "string"));
    }

    @Test
    void desiredPropertiesAreFlattened() {
        assertThat(ModuleProperties.of(Map.of("opcua", "{\"endpoint\": \"opc.tcp://x\", \"tags\": [\"a\", \"b\"]}",
                "rate", 5L, "service.pid", "org.outpost.module.beat", "list", new String[] {"a", "b"})))
                .containsEntry("opcua.endpoint", "opc.tcp://x").containsEntry("opcua.tags", "a,b")
                .containsEntry("rate", "5").containsEntry("list", "a,b").doesNotContainKey("service.pid");
        assertThat(ModuleProperties.ofDesired("{\"$version\": 3, \"a\": {\"b\": 1}}")).containsEntry("a.b", "1")
                .doesNotContainKey("$version");
    }
}
