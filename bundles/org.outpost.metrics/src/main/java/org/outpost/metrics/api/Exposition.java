/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.metrics.api;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.Optional;
import java.util.function.Predicate;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Every metric of this Karaf instance (those registered through {@link org.outpost.api.metrics.Metrics}, and the
 * JVM's and the process's) as the Prometheus endpoint serves them.
 */
@ProviderType
public interface Exposition {

    /** The content type of the Prometheus text format. */
    String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /** The content type of the OpenMetrics text format. */
    String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /**
     * Writes the metrics whose Prometheus name passes the filter, in the format the HTTP {@code Accept} header asks for
     * (OpenMetrics when it names {@code application/openmetrics-text}, else the Prometheus text format).
     *
     * @param out where to write (not closed)
     * @param accept an HTTP {@code Accept} header, or null for the Prometheus text format
     * @param names which metric names to write, e.g. {@code n -> n.startsWith("edgehub_")}
     * @return the content type written
     * @throws IOException if writing fails
     */
    String write(OutputStream out, String accept, Predicate<String> names) throws IOException;

    /** @return what {@code /metrics} serves by default: every metric in the Prometheus text format */
    String text();

    /** @return the URL of the HTTP endpoint, empty while it is off or could not bind its port */
    Optional<URI> endpoint();
}
