/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.module;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.CLASS;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type that sets {@value InputHandler#INPUT} on an {@link InputHandler} component.
 */
@ComponentPropertyType
@Retention(CLASS)
@Target(TYPE)
public @interface ModuleInput {

    /** Makes the property name {@code outpost.module.input}. */
    String PREFIX_ = "outpost.";

    /** @return the input name */
    String value();
}
