/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.support.api;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Writes the gateway's support bundle: a zip with the logs of the runtime and of its modules, its configuration with
 * every secret redacted (the secrets folder is never read), its status (deployment, modules, routes, upstream), its
 * checks, its metrics, a thread dump and the last deployment with its result. {@code edge:support-bundle} and
 * {@code $edgeAgent}'s {@code UploadSupportBundle} use it.
 */
@ProviderType
public interface SupportBundles {

    /**
     * Which logs go in.
     *
     * @param since only log entries at or after this time, or {@code null} for all that are kept
     * @param until only log entries before this time, or {@code null}
     * @param edgeRuntimeOnly only the runtime's own log, not the modules' (IoT Edge's {@code edgeRuntimeOnly})
     */
    record Request(Instant since, Instant until, boolean edgeRuntimeOnly) {
        public Request {
            if (since != null && until != null && !since.isBefore(until)) {
                throw new IllegalArgumentException("since (" + since + ") must be before until (" + until + ")");
            }
        }
    }

    /**
     * Writes the zip. A part that cannot be collected (a service that is not there, a log that cannot be read) is
     * written as a text entry saying why, so the bundle is still made.
     *
     * @param request which logs
     * @param out where the zip goes (not closed)
     * @return the names of the entries written, in order
     * @throws IOException if writing to {@code out} fails
     */
    List<String> write(Request request, OutputStream out) throws IOException;
}
