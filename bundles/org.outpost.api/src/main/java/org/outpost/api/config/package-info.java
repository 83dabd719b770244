/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * Reading typed Declarative Services configurations safely: a malformed value is reported with its PID, key and value
 * instead of failing the component, so that it can keep its last good configuration. Version 2.0 drops
 * {@code WatchedFile}, runtime plumbing that now lives in the runtime's own helpers ({@code org.outpost.commons}).
 */
@Export
@Version("2.0.0")
package org.outpost.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
