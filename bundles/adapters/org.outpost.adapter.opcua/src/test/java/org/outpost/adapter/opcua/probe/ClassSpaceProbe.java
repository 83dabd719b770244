/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.adapter.opcua.probe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

import org.apache.camel.Component;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.TypeConverterLoader;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.outpost.adapter.opcua.simulator.OpcUaSimulator;

/**
 * Loaded by AdapterClassSpaceTest through a class loader that sees the bundle's Bundle-ClassPath and, from outside,
 * only what its manifest imports (plus Camel, which org.outpost.camel exports): does what org.outpost.camel's
 * extender does for an adapter bundle (components and type converters from the service files named in the manifest),
 * then subscribes to the simulator through milo-client. Returns the component classes' loaders, the (growing) list
 * of values received, a type conversion's result and what closes it all.
 */
public final class ClassSpaceProbe implements BiFunction<Integer, List<String>, Map<String, Object>> {

    @Override
    public Map<String, Object> apply(Integer port, List<String> componentNames) {
        ClassLoader bundle = getClass().getClassLoader();
        List<Object> values = new CopyOnWriteArrayList<>();
        List<ClassLoader> componentLoaders = new ArrayList<>();
        OpcUaSimulator simulator = OpcUaSimulator.start(OpcUaSimulator.settings().port(port)
                .interval(Duration.ofMillis(100)));
        DefaultCamelContext camel = new DefaultCamelContext();
        try {
            for (String name : componentNames) {
                Class<?> type = bundle.loadClass(serviceClass(bundle, "component/" + name));
                componentLoaders.add(type.getClassLoader());
                camel.addComponent(name, (Component) type.getDeclaredConstructor().newInstance());
            }
            String loaderClass = serviceLine(bundle, "TypeConverterLoader");
            ((TypeConverterLoader) bundle.loadClass(loaderClass).getDeclaredConstructor().newInstance())
                    .load(camel.getTypeConverterRegistry());
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("milo-client:opc.tcp://127.0.0.1:" + port + "?node=RAW(ns=2;s=Temperature)&samplingInterval=50")
                            .process(e -> values.add(e.getMessage().getBody(DataValue.class).getValue().getValue()));
                }
            });
            camel.start();
            Object converted = camel.getTypeConverter().convertTo(Variant.class, new DataValue(new Variant(42.0)));
            AutoCloseable close = () -> {
                camel.close();
                simulator.close();
            };
            return Map.of("values", values, "componentLoaders", componentLoaders,
                    "converted", String.valueOf(converted), "close", close);
        } catch (Exception e) {
            IllegalStateException failure = new IllegalStateException("class space probe failed: " + e, e);
            try {
                camel.close();
            } catch (IOException closing) {
                failure.addSuppressed(closing);
            }
            simulator.close();
            throw failure;
        }
    }

    private static String serviceClass(ClassLoader loader, String name) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = open(loader, name)) {
            properties.load(in);
        }
        return properties.getProperty("class");
    }

    private static String serviceLine(ClassLoader loader, String name) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(open(loader, name), StandardCharsets.UTF_8))) {
            return in.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst()
                    .orElseThrow();
        }
    }

    private static InputStream open(ClassLoader loader, String name) throws IOException {
        String path = "META-INF/services/org/apache/camel/" + name;
        InputStream in = loader.getResourceAsStream(path);
        if (in == null) {
            throw new IOException(path + " is not in the bundle's class space");
        }
        return in;
    }
}
