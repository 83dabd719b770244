/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * The hub's REST API under {@code /api}: JAX-RS resources, one per noun, on the OSGi JAX-RS Whiteboard's default
 * application (its base is {@code /api}: etc/org.apache.aries.jax.rs.whiteboard.default.cfg), with the extensions
 * every resource selects: the token check, the JSON writer, the error mappers (not exported).
 */
package org.outpost.hub.web.internal.api;
