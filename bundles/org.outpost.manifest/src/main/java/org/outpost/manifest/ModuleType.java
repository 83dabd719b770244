/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.manifest;

/** What a module is. */
public enum ModuleType {
    /** An OSGi bundle, from a location ({@code mvn:}, {@code file:}, {@code http(s):}). */
    BUNDLE,
    /** A Karaf feature from a feature repository: remote provisioning. */
    FEATURE,
    /** A wrapper that supervises an external process or OCI container ({@code docker} in IoT Edge manifests). */
    CONTAINER,
    /**
     * A Camel route module: route files named by location ({@code settings.routes}) or carried inline
     * ({@code settings.inline}), run as a bundle made from them; see {@link CamelRoutes}.
     *
     * @since 1.3
     */
    CAMEL
}
