/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.api;

import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Makes Camel contexts configured for the gateway (a service of {@code org.outpost.camel}, which embeds Camel):
 * <ul>
 * <li>components, data formats and languages are found among Camel's embedded ones (direct, timer, log, seda, bean,
 * the core languages) and then among those of the <em>adapter bundles</em> installed now: bundles with the manifest
 * header {@value #COMPONENTS_HEADER} (and {@value #DATAFORMATS_HEADER}, {@value #LANGUAGES_HEADER}) naming what they
 * serve, e.g. {@code Outpost-Camel-Components: milo-client,milo-browse}. The adapter's
 * {@code META-INF/services/org/apache/camel/component/<name>} (and {@code dataformat/}, {@code language/}) is read
 * through its class loader, and its {@code META-INF/services/org/apache/camel/TypeConverterLoader} loaded into every
 * context made here. A component that nobody serves fails with a message naming the feature that serves it
 * ({@code component milo-client not found: install the feature outpost-adapter-opcua});</li>
 * <li>routes run under the supervising route controller: a route whose consumer cannot start yet is retried with
 * back-off instead of failing the context;</li>
 * <li>the application class loader is the caller's (the bundle whose routes name classes).</li>
 * </ul>
 * A context is returned not started: the caller adds its components and routes, starts it and stops it.
 */
@ProviderType
public interface CamelContexts {

    /** The manifest header of an adapter bundle: the Camel component names it serves, comma separated. */
    String COMPONENTS_HEADER = "Outpost-Camel-Components";
    /** The manifest header of an adapter bundle: the Camel data format names it serves, comma separated. */
    String DATAFORMATS_HEADER = "Outpost-Camel-Dataformats";
    /** The manifest header of an adapter bundle: the Camel language names it serves, comma separated. */
    String LANGUAGES_HEADER = "Outpost-Camel-Languages";

    /**
     * @param name the context's name (for logs, JMX and thread names)
     * @param applicationClassLoader the class loader that finds the classes the routes name; {@code null} for
     *            Camel's own
     * @return a new context, not started, with the gateway's resolvers and the supervising route controller
     */
    CamelContext newContext(String name, ClassLoader applicationClassLoader);

    /**
     * @return the component names that adapter bundles serve now, each with the bundle that serves it
     *         ({@code <symbolic name> <version>})
     */
    Map<String, String> adapterComponents();

    /**
     * @param component a component name that no context could resolve
     * @return what an operator does to get it, e.g. {@code install the feature outpost-adapter-opcua}
     */
    String missingComponentHint(String component);

    /**
     * Listens to adapter bundles coming and going (after their components are resolvable, or after they no longer
     * are). The listener is called in the thread of the bundle event; it must not block.
     *
     * @param listener gets each change
     * @return closes the registration
     */
    AutoCloseable onAdaptersChanged(Consumer<AdapterChange> listener);

    /**
     * An adapter bundle came ({@code added}) or went.
     *
     * @param added true when it came
     * @param bundle its symbolic name and version
     * @param components the component names it serves
     * @param dataformats the data format names it serves
     * @param languages the language names it serves
     */
    record AdapterChange(boolean added, String bundle, Set<String> components, Set<String> dataformats,
            Set<String> languages) {
    }
}
