/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.support.internal;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.outpost.api.message.Message;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleState;
import org.outpost.deployment.api.Deployer;
import org.outpost.deployment.api.DeploymentResult;
import org.outpost.deployment.api.DeploymentStatus;
import org.outpost.deployment.api.LogQuery;

/** Small stand-ins for the services the support bundle reads. */
final class Fakes {

    private Fakes() {
    }

    static SupportConfig.Settings settings() {
        return new SupportConfig.Settings(List.of("org.apache.karaf.jaas", "org.outpost.operator"), List.of(),
                1_000_000, 1000, Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(10));
    }

    /** A deployer with modules and their log entries. */
    static final class FakeDeployer implements Deployer {
        final Map<String, List<String>> logs = new LinkedHashMap<>();
        final List<LogQuery> queries = new ArrayList<>();

        @Override
        public DeploymentResult deploy(String manifestJson, boolean dryRun) {
            throw new UnsupportedOperationException();
        }

        @Override
        public DeploymentStatus status() {
            Map<String, DeploymentStatus.ModuleStatus> modules = new LinkedHashMap<>();
            logs.keySet().forEach(m -> modules.put(m, new DeploymentStatus.ModuleStatus("bundle", "1.0", "running",
                    "running", "", null, 0, null, null, null)));
            return new DeploymentStatus(3, new DeploymentStatus.Outcome(200, ""), modules);
        }

        @Override
        public Optional<String> configurationPid(String module) {
            return Optional.empty();
        }

        @Override
        public void restart(String module) {
        }

        @Override
        public List<String> logs(String module, LogQuery query) {
            List<String> l = logs.get(module);
            if (l == null) {
                throw new IllegalArgumentException("no module " + module);
            }
            queries.add(query);
            return l.stream().filter(e -> query.matches(null, "info", e)).toList();
        }
    }

    static EdgeRuntime runtime(String device) {
        return new EdgeRuntime() {
            @Override
            public String deviceId() {
                return device;
            }

            @Override
            public List<ModuleInfo> modules() {
                return List.of(new ModuleInfo("sensor", "bundle", ModuleState.RUNNING, 42, "1.0", true, 5, 0, ""));
            }

            @Override
            public Optional<ModuleInfo> module(String name) {
                return modules().stream().filter(m -> m.name().equals(name)).findFirst();
            }

            @Override
            public void inject(String module, String output, Message message) {
            }
        };
    }

    /** A ConfigurationAdmin that lists the given configurations (PID to properties). */
    static ConfigurationAdmin configurations(Map<String, Map<String, Object>> pids) {
        List<Configuration> list = new ArrayList<>();
        pids.forEach((pid, props) -> {
            Dictionary<String, Object> d = new Hashtable<>(props);
            d.put("service.pid", pid);
            list.add((Configuration) Proxy.newProxyInstance(Fakes.class.getClassLoader(),
                    new Class<?>[] {Configuration.class}, (p, m, a) -> switch (m.getName()) {
                        case "getPid" -> pid;
                        case "getFactoryPid" -> null;
                        case "getProperties" -> d;
                        default -> throw new UnsupportedOperationException(m.getName());
                    }));
        });
        return (ConfigurationAdmin) Proxy.newProxyInstance(Fakes.class.getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (p, m, a) -> {
                    if (m.getName().equals("listConfigurations")) {
                        String filter = (String) a[0];
                        if (filter == null) {
                            return list.toArray(new Configuration[0]);
                        }
                        return list.stream().filter(c -> filter.contains("=" + c.getPid() + ")"))
                                .toArray(Configuration[]::new);
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }
}
