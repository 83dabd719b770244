/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.dsl.support.RouteBuilderLoaderSupport;
import org.apache.camel.dsl.xml.io.XmlRoutesBuilderLoader;
import org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.outpost.camel.internal.Contexts;
import org.outpost.camel.modules.component.FakeModuleClient;
import org.outpost.camel.modules.component.FakeRegistrar;

/** The route files the gateway distribution ships in samples/routes/. */
class SamplesTest {

    static final Path SAMPLES = Path.of("../../karaf-distribution/gateway/src/main/resources/samples/routes");

    @Test
    void everySampleRouteFileParses() throws Exception {
        List<Path> samples = samples();
        assertThat(samples).isNotEmpty();
        Contexts contexts = new Contexts(null);
        for (Path sample : samples) {
            CamelContext camel = contexts.newContext("sample", getClass().getClassLoader());
            String name = sample.getFileName().toString();
            RouteBuilderLoaderSupport loader = name.endsWith(".xml") ? new XmlRoutesBuilderLoader()
                    : new YamlRoutesBuilderLoader();
            loader.setCamelContext(camel);
            loader.start();
            // parsed and turned into route definitions; their components (adapters) are not needed for this, nor the
            // classes of other bundles that a sample's beans name
            try {
                camel.addRoutes(loader.loadRoutesBuilder(ResourceHelper.fromString(name, Files.readString(sample))));
            } catch (Exception e) {
                if (classNotFound(e) || RouteErrors.what(e).contains("ClassNotFoundException")
                        || String.valueOf(e).contains("class")
                        && RouteErrors.what(e).toLowerCase(java.util.Locale.ROOT).contains("not found")) {
                    continue;
                }
                throw new AssertionError(RouteErrors.inFile(new RouteFile(name, Files.readString(sample)), e)
                        .getMessage(), e);
            }
            assertThat(camel.getCamelContextExtension().getContextPlugin(org.apache.camel.model.Model.class)
                    .getRouteDefinitions()).as(name).isNotEmpty();
            loader.stop();
        }
    }

    private static boolean classNotFound(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ClassNotFoundException || t instanceof NoClassDefFoundError) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theHeartbeatSampleBeats() throws Exception {
        FakeModuleClient client = new FakeModuleClient("heartbeat");
        ModuleRoutes routes = new ModuleRoutes("heartbeat", getClass().getClassLoader(),
                List.of(new RouteFile("heartbeat.camel.yaml", Files.readString(SAMPLES.resolve("heartbeat.camel.yaml")))),
                new Contexts(null), client, new FakeRegistrar());
        routes.start(Map.of("period", "20"));
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> client.bodies("heartbeat").size() >= 2);
            assertThat(client.bodies("heartbeat").get(0)).isEqualTo("{\"site\": \"gateway\", \"beat\": 1 }");
        } finally {
            routes.stop();
        }
    }

    private static List<Path> samples() throws IOException {
        try (Stream<Path> files = Files.list(SAMPLES)) {
            return files.filter(f -> f.toString().matches(".*\\.camel\\.(yaml|yml|xml)")).sorted().toList();
        }
    }
}
