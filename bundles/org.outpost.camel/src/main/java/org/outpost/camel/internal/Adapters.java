/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

import org.outpost.camel.api.CamelContexts.AdapterChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter bundles present now, in the order they came, and the listeners to their changes. Thread-safe.
 */
final class Adapters {

    private static final Logger LOG = LoggerFactory.getLogger(Adapters.class);
    private static final Properties FEATURES = load("component-features.properties");

    private final List<Adapter> adapters = new CopyOnWriteArrayList<>();
    private final List<Consumer<AdapterChange>> listeners = new CopyOnWriteArrayList<>();

    void add(Adapter adapter) {
        for (Adapter other : adapters) {
            for (String c : adapter.components()) {
                if (other.components().contains(c)) {
                    LOG.warn("Component {} is served by adapter bundles {} and {}: {} is used", c, other.name(),
                            adapter.name(), other.name());
                }
            }
        }
        adapters.add(adapter);
        LOG.info("Adapter bundle {} serves components {}, data formats {}, languages {}", adapter.name(),
                adapter.components(), adapter.dataformats(), adapter.languages());
        fire(new AdapterChange(true, adapter.name(), adapter.components(), adapter.dataformats(), adapter.languages()));
    }

    void remove(Adapter adapter) {
        if (adapters.remove(adapter)) {
            LOG.info("Adapter bundle {} left: components {} are gone", adapter.name(), adapter.components());
            fire(new AdapterChange(false, adapter.name(), adapter.components(), adapter.dataformats(),
                    adapter.languages()));
        }
    }

    List<Adapter> all() {
        return adapters;
    }

    /** @return the first adapter serving the component, or null */
    Adapter component(String name) {
        return first(a -> a.components().contains(name) ? a : null);
    }

    Adapter dataformat(String name) {
        return first(a -> a.dataformats().contains(name) ? a : null);
    }

    Adapter language(String name) {
        return first(a -> a.languages().contains(name) ? a : null);
    }

    private Adapter first(Function<Adapter, Adapter> match) {
        for (Adapter a : adapters) {
            Adapter m = match.apply(a);
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    Map<String, String> components() {
        Map<String, String> out = new TreeMap<>();
        for (Adapter a : adapters) {
            for (String c : a.components()) {
                out.putIfAbsent(c, a.name());
            }
        }
        return out;
    }

    AutoCloseable listen(Consumer<AdapterChange> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void fire(AdapterChange change) {
        for (Consumer<AdapterChange> l : listeners) {
            try {
                l.accept(change);
            } catch (RuntimeException e) {
                LOG.warn("A listener to adapter bundles failed on {}: {}", change, e.toString(), e);
            }
        }
    }

    /** @return what to do to get a component nobody serves */
    static String hint(String kind, String name) {
        String feature = FEATURES.getProperty(kind + "." + name);
        if (feature != null) {
            return "install the feature " + feature;
        }
        return "no installed adapter bundle serves it (an adapter bundle names it in its manifest header "
                + headerOf(kind) + "); built in are " + FEATURES.getProperty(kind + ".builtin", "none");
    }

    private static String headerOf(String kind) {
        return switch (kind) {
            case "dataformat" -> "Outpost-Camel-Dataformats";
            case "language" -> "Outpost-Camel-Languages";
            default -> "Outpost-Camel-Components";
        };
    }

    private static Properties load(String resource) {
        Properties p = new Properties();
        URL url = Adapters.class.getResource(resource);
        if (url == null) {
            return p;
        }
        try (InputStream in = url.openStream()) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
