/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * The IoT Edge route language as a plain Java library (no OSGi needed): compile a route or a condition with
 * {@link org.outpost.routelanguage.RouteLanguage}, then evaluate it against a
 * {@link org.outpost.routelanguage.RouteMessage}. See docs/routing.md.
 */
@Export
@Version("1.1.0")
package org.outpost.routelanguage;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
