/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.deploy;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.List;
import java.util.function.BiFunction;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** Interfaces answered by a function of the method name and arguments; anything else throws. */
public final class Stubs {

    private Stubs() {
    }

    @SuppressWarnings("unchecked")
    public static <T> T stub(Class<T> type, BiFunction<String, Object[], Object> answer) {
        InvocationHandler h = (proxy, method, args) -> switch (method.getName()) {
            case "toString" -> type.getSimpleName() + " stub";
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> answer.apply(method.getName(), args);
        };
        return (T) Proxy.newProxyInstance(Stubs.class.getClassLoader(), new Class<?>[] {type}, h);
    }

    /** @return a bundle with an id, a location, a symbolic name and an {@code Outpost-Module} header (or none) */
    public static Bundle bundle(long id, String location, String symbolicName, String module) {
        Hashtable<String, String> headers = new Hashtable<>();
        if (module != null) {
            headers.put("Outpost-Module", module);
        }
        return stub(Bundle.class, (m, a) -> switch (m) {
            case "getBundleId" -> id;
            case "getLocation" -> location;
            case "getSymbolicName" -> symbolicName;
            case "getHeaders" -> headers;
            default -> throw new UnsupportedOperationException(m);
        });
    }

    /** @return a framework that has these bundles */
    public static BundleContext context(List<Bundle> bundles) {
        return stub(BundleContext.class, (m, a) -> switch (m) {
            case "getBundles" -> bundles.toArray(new Bundle[0]);
            default -> throw new UnsupportedOperationException(m);
        });
    }
}
