/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * The {@code outpost} Camel component: a route's view of the module contract. {@code outpost:input/<name>} consumes a
 * module input, {@code outpost:output/<name>} sends to a module output, {@code outpost:method/<name>} answers a direct
 * method; {@link org.outpost.camel.modules.component.OutpostHeaders} names the headers that carry a message's
 * properties.
 */
@Export
@Version("1.0.0")
package org.outpost.camel.modules.component;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
