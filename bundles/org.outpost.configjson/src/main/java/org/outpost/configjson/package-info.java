/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * JSON desired properties as configuration properties: {@link org.outpost.configjson.JsonConfiguration} converts a
 * JSON object into a configuration map, typed by a {@link org.outpost.configjson.ConfigurationSchema} (which a caller
 * builds from an OSGi Metatype {@code ObjectClassDefinition}), or by one documented untyped rule when there is no
 * schema. A value that does not fit is refused with a {@link org.outpost.configjson.ConfigurationJsonException}
 * naming its JSON path and what was expected. A plain Java library: it needs no OSGi framework.
 */
@Export
@Version("1.0.0")
package org.outpost.configjson;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
