/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Enumeration;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.TypeConverters;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.TypeConverterLoader;
import org.apache.camel.spi.TypeConverterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.camel.api.CamelContexts.AdapterChange;

class ContextsTest {

    @TempDir
    Path dir;

    private final Contexts contexts = new Contexts(null);
    private CamelContext camel;

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
    }

    @Test
    void aComponentThatNobodyServesFailsNamingTheFeatureThatServesIt() {
        camel = contexts.newContext("t", null);
        assertThatThrownBy(() -> {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("milo-client:opc.tcp://localhost:4840").to("log:x");
                }
            });
            camel.start();
        }).satisfies(e -> assertThat(messages(e))
                .contains("component milo-client not found: install the feature outpost-adapter-opcua"));
    }

    @Test
    void anAdapterServesItsComponentsAndTypeConvertersToContextsMadeBeforeAndAfterIt() throws Exception {
        CamelContext before = contexts.newContext("before", null);
        before.start();
        java.util.List<AdapterChange> changes = new CopyOnWriteArrayList<>();
        contexts.onAdaptersChanged(changes::add);

        Adapter adapter = new Adapter("test.adapter 1.0.0", adapterLoader(), Set.of("fake"), Set.of(), Set.of());
        contexts.adapters().add(adapter);

        assertThat(changes).extracting(AdapterChange::added, AdapterChange::components)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(true, Set.of("fake")));
        assertThat(contexts.adapterComponents()).containsEntry("fake", "test.adapter 1.0.0");
        assertThat(before.getTypeConverter().convertTo(String.class, new Point(1, 2))).isEqualTo("(1,2)");
        before.stop();

        camel = contexts.newContext("after", null);
        java.util.List<Object> got = new CopyOnWriteArrayList<>();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("fake:in").process(e -> got.add(e.getMessage().getBody(String.class)));
            }
        });
        camel.start();
        camel.createProducerTemplate().sendBody("fake:in", new Point(3, 4));
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 1);
        assertThat(got).containsExactly("(3,4)");

        contexts.adapters().remove(adapter);
        assertThat(changes).hasSize(2);
        assertThat(changes.get(1).added()).isFalse();
        assertThat(contexts.adapterComponents()).isEmpty();
    }

    /** A class loader like an adapter bundle's: its own services files only, classes from the test's loader. */
    private ClassLoader adapterLoader() throws IOException {
        Path services = dir.resolve("META-INF/services/org/apache/camel");
        Files.createDirectories(services.resolve("component"));
        // The fake component is Camel's seda under another name.
        Files.writeString(services.resolve("component/fake"), "class=org.apache.camel.component.seda.SedaComponent\n");
        Files.writeString(services.resolve("TypeConverterLoader"), "# test\n" + PointConverters.class.getName()
                + "\n");
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader()) {
            @Override
            public URL getResource(String name) {
                return name.startsWith("META-INF/") ? findResource(name) : super.getResource(name);
            }

            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return name.startsWith("META-INF/") ? findResources(name) : super.getResources(name);
            }
        };
    }

    private static String messages(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            out.append(t.getMessage()).append('\n');
        }
        return out.toString();
    }

    record Point(int x, int y) {
    }

    /** An adapter's type converters. */
    public static final class PointConverters implements TypeConverterLoader, TypeConverters {
        @Override
        public void load(TypeConverterRegistry registry) {
            registry.addTypeConverter(String.class, Point.class, new org.apache.camel.support.TypeConverterSupport() {
                @Override
                public <T> T convertTo(Class<T> type, org.apache.camel.Exchange exchange, Object value) {
                    Point p = (Point) value;
                    return type.cast("(" + p.x() + "," + p.y() + ")");
                }
            });
        }
    }
}
