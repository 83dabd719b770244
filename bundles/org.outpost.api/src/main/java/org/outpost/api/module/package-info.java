/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * How a bundle becomes an edge module: {@link org.outpost.api.module.EdgeModule} names it, a
 * {@link org.outpost.api.module.ModuleClient} sends to its outputs and {@link org.outpost.api.module.InputHandler}
 * (or {@link org.outpost.api.module.AsyncInputHandler}) services receive on its inputs;
 * {@link org.outpost.api.module.ModuleTwin}, {@link org.outpost.api.module.DesiredPropertiesListener} and
 * {@link org.outpost.api.module.MethodHandler} are its twin and direct methods.
 */
@Export
@Version("1.5.0")
package org.outpost.api.module;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
