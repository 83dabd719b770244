/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.module;

import static java.lang.annotation.ElementType.PACKAGE;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.CLASS;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import org.osgi.annotation.bundle.Header;

/**
 * Declares the bundle that contains the annotated class or package an edge module with the given id. bnd turns it into
 * the manifest header {@value #HEADER}; the gateway tracks bundles with that header and shows them in
 * {@code edge:list}, whether or not they resolve and start.
 * <p>
 * A module id is 1 to 64 characters of letters, digits, {@code -} and {@code _}, unique on the gateway.
 *
 * <pre>{@code
 * @EdgeModule("temperature-filter")
 * @Component
 * public class TemperatureFilter implements InputHandler { ... }
 * }</pre>
 */
@Retention(CLASS)
@Target({TYPE, PACKAGE})
@Header(name = EdgeModule.HEADER, value = "${#value}")
public @interface EdgeModule {

    /** The manifest header that names a bundle's module id. */
    String HEADER = "Outpost-Module";

    /** @return the module id */
    String value();
}
