/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.analytics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Navigate;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.processor.aggregate.AggregateProcessor;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * A sample route file of the gateway distribution run for real in a plain Camel context: its text as shipped, with
 * {@code outpost:input/<name>} read from {@code direct:input-<name>} and {@code outpost:output/<name>} written to
 * {@code direct:output-<name>}, which this collects; placeholders from the given properties or their defaults.
 */
final class SampleRoutes implements AutoCloseable {

    /** The gateway's samples folder, from this module's folder. */
    static final Path SAMPLES = Path.of("../../karaf-distribution/gateway/src/main/resources/samples/routes");

    /** What one output received: body and headers. */
    record Out(String body, Map<String, Object> headers) {
    }

    final CamelContext context = new DefaultCamelContext();
    final ProducerTemplate producer;
    private final Map<String, List<Out>> outputs = new ConcurrentHashMap<>();

    SampleRoutes(Map<String, String> properties, String... files) throws Exception {
        this(properties, Map.of(), files);
    }

    /**
     * @param links output name to the input name it also goes to (as a gateway route would take it), such as the
     *        simulated readings into the window statistics
     */
    SampleRoutes(Map<String, String> properties, Map<String, String> links, String... files) throws Exception {
        Properties p = new Properties();
        p.putAll(properties);
        context.getPropertiesComponent().setInitialProperties(p);
        for (String file : files) {
            String text = Files.readString(SAMPLES.resolve(file));
            for (String name : outputNames(text)) {
                outputs.putIfAbsent(name, java.util.Collections.synchronizedList(new java.util.ArrayList<>()));
            }
            text = text.replace("outpost:input/", "direct:input-").replace("outpost:output/", "direct:output-");
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString(file, text));
        }
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (String name : outputs.keySet()) {
                    var route = from("direct:output-" + name).process(e -> collect(name, e));
                    if (links.containsKey(name)) {
                        route.to("direct:input-" + links.get(name));
                    }
                }
            }
        });
        context.start();
        producer = context.createProducerTemplate();
    }

    private static List<String> outputNames(String text) {
        return java.util.regex.Pattern.compile("outpost:output/([A-Za-z0-9_-]+)").matcher(text).results()
                .map(m -> m.group(1)).distinct().toList();
    }

    private void collect(String name, Exchange e) {
        outputs.get(name).add(new Out(e.getMessage().getBody(String.class), Map.copyOf(e.getMessage().getHeaders())));
    }

    /** @return how many messages went to output {@code name} */
    int count(String name) {
        return outputs.getOrDefault(name, List.of()).size();
    }

    /** Sends a body to input {@code name}, with headers. */
    void send(String input, String body, Map<String, Object> headers) {
        producer.sendBodyAndHeaders("direct:input-" + input, body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                headers);
    }

    void send(String input, String body) {
        send(input, body, Map.of());
    }

    /**
     * Closes every open window of route {@code routeId}'s aggregate now, as its {@code completionInterval} does at each
     * tick: a test that sets the interval far beyond its run decides where windows end instead of the timer.
     *
     * @return how many windows (keys' groups) it closed
     */
    int closeWindows(String routeId) {
        Route route = context.getRoute(routeId);
        AggregateProcessor aggregate = route == null ? null : find(route.navigate());
        if (aggregate == null) {
            throw new IllegalArgumentException("No route " + routeId + " with an aggregate");
        }
        return aggregate.forceCompletionOfAllGroups();
    }

    @SuppressWarnings("unchecked")
    private static AggregateProcessor find(Navigate<Processor> navigate) {
        if (navigate == null || !navigate.hasNext()) {
            return null;
        }
        for (Processor p : navigate.next()) {
            if (p instanceof AggregateProcessor aggregate) {
                return aggregate;
            }
            AggregateProcessor below = p instanceof Navigate<?> n ? find((Navigate<Processor>) n) : null;
            if (below != null) {
                return below;
            }
        }
        return null;
    }

    /** @return the bean {@code name} of the route files (their {@code beans:}) */
    <T> T bean(String name, Class<T> type) {
        T bean = context.getRegistry().lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalArgumentException("No bean " + name + " of " + type.getSimpleName());
        }
        return bean;
    }

    List<Out> output(String name) {
        List<Out> list = outputs.getOrDefault(name, List.of());
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    @Override
    public void close() {
        try {
            context.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
