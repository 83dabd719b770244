/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.internal;

import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.NoSuchLanguageException;
import org.apache.camel.impl.engine.DefaultComponentResolver;
import org.apache.camel.impl.engine.DefaultDataFormatResolver;
import org.apache.camel.impl.engine.DefaultLanguageResolver;
import org.apache.camel.spi.ComponentResolver;
import org.apache.camel.spi.DataFormat;
import org.apache.camel.spi.DataFormatResolver;
import org.apache.camel.spi.Language;
import org.apache.camel.spi.LanguageResolver;

/**
 * The component, data format and language resolvers of every context {@link Contexts} makes: Camel's own (the registry
 * and the embedded jars) first, then the adapter bundles present now; a component nobody serves fails with
 * {@link ComponentNotFoundException}, whose message says which feature to install.
 */
final class GatewayResolvers implements ComponentResolver, DataFormatResolver, LanguageResolver {

    private final Adapters adapters;
    private final ComponentResolver components = new DefaultComponentResolver();
    private final DataFormatResolver dataformats = new DefaultDataFormatResolver();
    private final LanguageResolver languages = new DefaultLanguageResolver();

    GatewayResolvers(Adapters adapters) {
        this.adapters = adapters;
    }

    @Override
    public Component resolveComponent(String name, CamelContext context) throws Exception {
        Adapter adapter = adapters.component(name);
        if (adapter != null) {
            // An adapter's component is created from its own class loader, even if Camel could find its services
            // file some other way.
            return adapter.newInstance("component", name, Component.class);
        }
        Component builtIn = components.resolveComponent(name, context);
        if (builtIn != null) {
            return builtIn;
        }
        throw new ComponentNotFoundException("component " + name + " not found: " + Adapters.hint("component", name));
    }

    @Override
    public DataFormat createDataFormat(String name, CamelContext context) {
        Adapter adapter = adapters.dataformat(name);
        if (adapter != null) {
            return adapter.newInstance("dataformat", name, DataFormat.class);
        }
        DataFormat builtIn = dataformats.createDataFormat(name, context);
        if (builtIn != null) {
            return builtIn;
        }
        throw new ComponentNotFoundException("data format " + name + " not found: "
                + Adapters.hint("dataformat", name));
    }

    @Override
    public Language resolveLanguage(String name, CamelContext context) throws NoSuchLanguageException {
        Adapter adapter = adapters.language(name);
        if (adapter != null) {
            return adapter.newInstance("language", name, Language.class);
        }
        try {
            return languages.resolveLanguage(name, context);
        } catch (NoSuchLanguageException e) {
            throw new ComponentNotFoundException("language " + name + " not found: "
                    + Adapters.hint("language", name), e);
        }
    }
}
