/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * What Outpost's runtime bundles share, written once: {@link org.outpost.commons.AtomicFiles} (a file replaced whole
 * or not at all), {@link org.outpost.commons.SecretFiles} (files and folders that are the owner's alone),
 * {@link org.outpost.commons.GatewaySecrets} (the gateway's owner-only secrets file),
 * {@link org.outpost.commons.WatchedFile} (an {@code etc/} file applied when it changes),
 * {@link org.outpost.commons.DaemonThreads} (named daemon thread factories), {@link org.outpost.commons.Listeners}
 * (a listener list whose subscription is its own handle) and {@link org.outpost.commons.Backoff} (capped exponential
 * reconnect delays) and {@link org.outpost.commons.Json} (what shell commands print for {@code --json}). Not API:
 * modules use {@code org.outpost.api}.
 */
@Version("1.0.0")
package org.outpost.commons;

import org.osgi.annotation.versioning.Version;
