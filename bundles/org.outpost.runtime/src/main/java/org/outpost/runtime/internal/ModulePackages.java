/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleReference;

/**
 * Tells whose a thread is that no module got from its thread factory, for {@link ThreadAccounting}: the module whose
 * bundle is the thread's context class loader, or else the module whose package the thread started in (the frame
 * nearest the bottom of its stack that is not the JDK's: {@code Thread.run} and executors' loops are skipped, so a
 * module's own executor thread is the module's while it runs a task). A thread whose stack is all the JDK's (an idle
 * pool thread) cannot be told yet; one that started in anyone else's code is no module's. A package two modules have is
 * nobody's.
 */
final class ModulePackages implements ThreadAccounting.Attribution {

    private final Map<String, String> byPackage = new ConcurrentHashMap<>();
    private final Map<Long, String> byBundle = new ConcurrentHashMap<>();

    /** The module's bundle {@code bundleId} has the classes of these packages. */
    void add(String module, long bundleId, Collection<String> packages) {
        byBundle.put(bundleId, module);
        for (String p : packages) {
            String before = byPackage.putIfAbsent(p, module);
            if (before != null && !before.equals(module)) {
                byPackage.put(p, "");
            }
        }
    }

    void remove(long bundleId) {
        String module = byBundle.remove(bundleId);
        if (module != null && !byBundle.containsValue(module)) {
            byPackage.values().removeIf(module::equals);
        }
    }

    @Override
    public String moduleOf(Thread thread) {
        ClassLoader tccl = thread.getContextClassLoader();
        if (tccl instanceof BundleReference br && br.getBundle() != null) {
            String m = byBundle.get(br.getBundle().getBundleId());
            if (m != null) {
                return m;
            }
        }
        StackTraceElement[] stack = thread.getStackTrace();
        for (int i = stack.length - 1; i >= 0; i--) {
            String cls = stack[i].getClassName();
            if (jdk(cls)) {
                continue;
            }
            int dot = cls.lastIndexOf('.');
            String m = byPackage.get(dot < 0 ? "" : cls.substring(0, dot));
            return m == null ? "" : m;
        }
        return thread.isAlive() ? null : "";
    }

    private static boolean jdk(String cls) {
        return cls.startsWith("java.") || cls.startsWith("jdk.") || cls.startsWith("sun.")
                || cls.startsWith("com.sun.") || cls.startsWith("javax.");
    }

    /** @return the packages of a bundle's own class entries ({@code org/acme/Foo.class} gives {@code org.acme}) */
    static Set<String> packagesOf(Collection<String> classEntries) {
        Set<String> out = new HashSet<>();
        for (String e : classEntries) {
            String path = e.startsWith("/") ? e.substring(1) : e;
            int slash = path.lastIndexOf('/');
            if (path.endsWith(".class") && slash > 0) {
                out.add(path.substring(0, slash).replace('/', '.'));
            }
        }
        return out;
    }
}
