/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** The deployment service's configuration as DS gives it: the defaults, and values set as in a .cfg file. */
final class TestConfig {

    private TestConfig() {
    }

    /**
     * @param set values by key as in {@code etc/org.outpost.deployment.cfg} ({@code process.modules.enabled}); a list
     *            is one comma-separated value
     */
    static DeploymentConfig of(Map<String, String> set) {
        return (DeploymentConfig) Proxy.newProxyInstance(TestConfig.class.getClassLoader(),
                new Class<?>[] {DeploymentConfig.class}, (proxy, method, args) -> {
                    String key = method.getName().replace('_', '.');
                    String value = set.get(key);
                    if (value == null) {
                        return method.getDefaultValue();
                    }
                    Class<?> type = method.getReturnType();
                    return type == boolean.class ? Boolean.parseBoolean(value) : type == int.class
                            ? Integer.parseInt(value) : type == long.class ? Long.parseLong(value)
                                    : type == String[].class ? new String[] {value} : value;
                });
    }
}
