/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.util.List;
import java.util.Locale;

import org.outpost.manifest.DeploymentManifest;
import org.outpost.manifest.ManifestException;
import org.outpost.manifest.ModuleSpec;

/**
 * Which configuration PIDs a deployment may give its modules ({@code settings.pid}): not those of the gateway itself
 * and its platform ({@code config.reserved.pids}: {@code org.outpost.upstream} would send the gateway's credentials to
 * another server, {@code org.apache.karaf.shell} opens the shell), except those a module may use under a reserved
 * prefix ({@code config.allowed.pids}: the samples' {@code org.outpost.samples.*}). Under {@code org.outpost.module.}
 * a module has only its own: {@code org.outpost.module.<name>} (the default) and what is below it.
 * <p>
 * A pattern is a PID, or a prefix followed by {@code .*} that matches the prefix itself and every PID below it; PIDs
 * are compared ignoring case.
 */
final class ConfigPids {

    static final String MODULES = "org.outpost.module";

    private final List<String> reserved;
    private final List<String> allowed;

    /**
     * @param reserved patterns of the PIDs no module may have
     * @param allowed patterns of PIDs a module may have even though a reserved pattern matches them
     */
    ConfigPids(List<String> reserved, List<String> allowed) {
        this.reserved = List.copyOf(reserved);
        this.allowed = List.copyOf(allowed);
    }

    /**
     * Checks every module's configuration PID, before anything changes.
     *
     * @throws ManifestException (400) naming the first module's {@code settings.pid} that is not its own to have
     */
    void check(DeploymentManifest deployment) throws ManifestException {
        for (ModuleSpec spec : deployment.modules().values()) {
            check(spec);
        }
    }

    /** @throws ManifestException (400) naming the module's {@code settings.pid} if it is not its own to have */
    void check(ModuleSpec spec) throws ManifestException {
        String why = why(spec.name(), spec.configPid());
        if (why != null) {
            throw new ManifestException(400, "modulesContent.$edgeAgent.properties.desired.modules." + spec.name()
                    + ".settings.pid", why);
        }
    }

    static ConfigPids of(DeploymentConfig config) {
        return new ConfigPids(DeploymentService.list(config.config_reserved_pids()), DeploymentService.list(
                config.config_allowed_pids()));
    }

    /** @return why module {@code name} may not have the configuration {@code pid}, or null if it may */
    String why(String name, String pid) {
        String own = MODULES + "." + name;
        if (matches(MODULES + ".*", pid)) {
            return matches(own + ".*", pid) ? null : "'" + pid + "' is another module's configuration: module '"
                    + name + "' has " + own + " (the default, when settings.pid is left out) or PIDs below it";
        }
        if (reserved.stream().anyMatch(p -> matches(p, pid)) && allowed.stream().noneMatch(p -> matches(p, pid))) {
            return "'" + pid + "' is a configuration of the gateway or its platform, which a deployment may not"
                    + " change (reserved: " + String.join(", ", reserved) + "; config.reserved.pids in"
                    + " etc/org.outpost.deployment.cfg): leave settings.pid out to use " + own + ", or name a PID of"
                    + " the module's own (or list it in config.allowed.pids if modules may have it)";
        }
        return null;
    }

    /** @return whether {@code pid} is {@code pattern}, or is below it for a pattern ending with {@code .*} */
    static boolean matches(String pattern, String pid) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String id = pid.toLowerCase(Locale.ROOT);
        if (p.equals("*")) {
            return true;
        }
        if (p.endsWith(".*")) {
            String prefix = p.substring(0, p.length() - 2);
            return id.equals(prefix) || id.startsWith(prefix + ".");
        }
        return id.equals(p);
    }
}
