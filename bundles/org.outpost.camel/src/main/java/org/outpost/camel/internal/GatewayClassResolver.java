/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.internal;

import java.io.InputStream;
import java.net.URL;

import org.apache.camel.impl.engine.DefaultClassResolver;

/**
 * Camel's class resolver (the context's application class loader, then Camel's own), falling back to the class
 * loaders of the adapter bundles present now: so that Camel's factory finders also find what an adapter's component
 * brings besides the component itself (its property configurers, URI factories).
 */
final class GatewayClassResolver extends DefaultClassResolver {

    private final Adapters adapters;

    GatewayClassResolver(Adapters adapters) {
        this.adapters = adapters;
    }

    @Override
    public InputStream loadResourceAsStream(String uri) {
        InputStream in = super.loadResourceAsStream(uri);
        if (in != null) {
            return in;
        }
        String path = uri.startsWith("/") ? uri.substring(1) : uri;
        for (Adapter a : adapters.all()) {
            in = a.loader().getResourceAsStream(path);
            if (in != null) {
                return in;
            }
        }
        return null;
    }

    @Override
    public URL loadResourceAsURL(String uri) {
        URL url = super.loadResourceAsURL(uri);
        if (url != null) {
            return url;
        }
        String path = uri.startsWith("/") ? uri.substring(1) : uri;
        for (Adapter a : adapters.all()) {
            url = a.loader().getResource(path);
            if (url != null) {
                return url;
            }
        }
        return null;
    }

    @Override
    protected Class<?> loadClass(String name, ClassLoader loader) {
        Class<?> c = super.loadClass(name, loader);
        if (c != null) {
            return c;
        }
        for (Adapter a : adapters.all()) {
            try {
                return a.loader().loadClass(name);
            } catch (ClassNotFoundException | LinkageError e) {
                // not this one
            }
        }
        return null;
    }
}
