/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.outpost.api.module.EdgeModule;

/**
 * A framework of bundles in a map: {@code installBundle} takes what {@link #publish} put at a location (as a Maven
 * repository would serve it), and every install, start, stop and uninstall is written down.
 */
final class FakeFramework {

    /** What installing a location would fetch: its symbolic name and module id (null: no module header). */
    record Artifact(String symbolicName, String moduleId) {
    }

    final Map<String, Artifact> repository = new LinkedHashMap<>();
    final Map<String, Bundle> installed = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    private final Map<Long, Integer> states = new LinkedHashMap<>();
    private long nextId = 1;

    void publish(String location, String symbolicName, String moduleId) {
        repository.put(location, new Artifact(symbolicName, moduleId));
    }

    /** Installs a bundle as the gateway's own features or an operator would: not through a deployment. */
    Bundle installByHand(String location, String symbolicName, String moduleId) {
        publish(location, symbolicName, moduleId);
        Bundle b = bundle(nextId++, location, repository.get(location));
        installed.put(location, b);
        states.put(b.getBundleId(), Bundle.ACTIVE);
        return b;
    }

    BundleContext context() {
        return Specs.stub(BundleContext.class, (method, args) -> switch (method) {
            case "getBundle" -> installed.get((String) args[0]);
            case "getBundles" -> installed.values().toArray(new Bundle[0]);
            case "getProperty" -> null;
            case "installBundle" -> {
                String location = (String) args[0];
                Artifact a = repository.get(location);
                if (a == null) {
                    throw new IllegalStateException(new BundleException("cannot fetch " + location));
                }
                calls.add("install " + location);
                Bundle b = bundle(nextId++, location, a);
                installed.put(location, b);
                states.put(b.getBundleId(), Bundle.INSTALLED);
                yield b;
            }
            default -> throw new UnsupportedOperationException(method);
        });
    }

    int state(Bundle b) {
        return states.get(b.getBundleId());
    }

    private Bundle bundle(long id, String location, Artifact a) {
        Hashtable<String, String> headers = new Hashtable<>();
        if (a.moduleId() != null) {
            headers.put(EdgeModule.HEADER, a.moduleId());
        }
        return Specs.stub(Bundle.class, (method, args) -> switch (method) {
            case "getBundleId" -> id;
            case "getLocation" -> location;
            case "getSymbolicName" -> a.symbolicName();
            case "getHeaders" -> headers;
            case "getState" -> states.get(id);
            case "start", "stop" -> {
                calls.add(method + " " + location);
                states.put(id, method.equals("start") ? Bundle.ACTIVE : Bundle.RESOLVED);
                yield null;
            }
            case "uninstall" -> {
                calls.add("uninstall " + location);
                installed.remove(location);
                states.put(id, Bundle.UNINSTALLED);
                yield null;
            }
            default -> throw new UnsupportedOperationException(method);
        });
    }
}
