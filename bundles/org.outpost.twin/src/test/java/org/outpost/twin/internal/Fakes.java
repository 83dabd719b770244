/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.function.Function;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceObjects;
import org.osgi.framework.ServiceReference;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.outpost.api.module.EdgeModule;

/** Fakes of OSGi interfaces for unit tests: only the methods a test answers work, the others throw. */
final class Fakes {

    /** What a faked method answers. */
    @FunctionalInterface
    interface Answer {
        Object answer(Object[] args) throws Throwable;
    }

    private Fakes() {
    }

    /** @return a {@code type} whose methods named in {@code answers} answer so; equals and hashCode are identity */
    static <T> T fake(Class<T> type, Map<String, Answer> answers) {
        Object proxy = Proxy.newProxyInstance(Fakes.class.getClassLoader(), new Class<?>[] {type}, (self, m, args) -> {
            Answer a = answers.get(m.getName());
            if (a != null) {
                try {
                    return a.answer(args == null ? new Object[0] : args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
            return switch (m.getName()) {
                case "equals" -> self == args[0];
                case "hashCode" -> System.identityHashCode(self);
                case "toString" -> "fake " + type.getSimpleName();
                default -> throw new UnsupportedOperationException(type.getSimpleName() + "." + m.getName());
            };
        });
        return type.cast(proxy);
    }

    /** @return a Metatype definition with these attributes (for every filter: ALL, REQUIRED, OPTIONAL) */
    static ObjectClassDefinition definition(AttributeDefinition... attributes) {
        return fake(ObjectClassDefinition.class, Map.of("getAttributeDefinitions", args -> attributes,
                "getID", args -> "def", "getName", args -> "def"));
    }

    /** @return a Metatype attribute without options or validation */
    static AttributeDefinition attribute(String id, int type, int cardinality) {
        return attribute(id, type, cardinality, null, value -> null);
    }

    /** @return a Metatype attribute */
    static AttributeDefinition attribute(String id, int type, int cardinality, String[] options,
            Function<String, String> validate) {
        return fake(AttributeDefinition.class, Map.of("getID", args -> id, "getName", args -> id,
                "getType", args -> type, "getCardinality", args -> cardinality, "getOptionValues", args -> options,
                "getOptionLabels", args -> options, "validate", args -> validate.apply((String) args[0])));
    }

    /** @return a bundle whose manifest names the module (null: no header) */
    static Bundle moduleBundle(String module) {
        Dictionary<String, String> headers = new Hashtable<>();
        if (module != null) {
            headers.put(EdgeModule.HEADER, module);
        }
        return fake(Bundle.class, Map.of("getHeaders", args -> headers, "getSymbolicName", args -> "bsn." + module));
    }

    /** @return a reference to a service of the module's bundle, with these service properties */
    @SuppressWarnings("unchecked")
    static <T> ServiceReference<T> reference(String module, Map<String, Object> properties) {
        Bundle b = moduleBundle(module);
        return fake(ServiceReference.class, Map.of("getBundle", args -> b,
                "getProperty", args -> properties.get((String) args[0])));
    }

    /** @return service objects that hand out the service and count the gets and ungets in {@code counts[0..1]} */
    @SuppressWarnings("unchecked")
    static <T> ServiceObjects<T> objects(T service, int[] counts) {
        return fake(ServiceObjects.class, Map.of("getService", args -> {
            counts[0]++;
            return service;
        }, "ungetService", args -> {
            counts[1]++;
            return null;
        }));
    }
}
