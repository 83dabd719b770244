/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.health.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.outpost.api.health.Check;
import org.outpost.api.health.CheckResult;
import org.outpost.deployment.api.Deployer;
import org.outpost.deployment.api.DeploymentStatus;
import org.outpost.deployment.api.DeploymentStatus.ModuleStatus;

/**
 * The deployment and its modules: a refused deployment is critical, and so is a module that its restart policy
 * restarted {@code restart.loop.count} times and that is not running (backoff, failed): a restart loop; a module not
 * in its desired state is a warning.
 */
@Component(service = Check.class, configurationPid = HealthConfig.PID, property = {Check.NAME + "=deployment",
    Check.TAGS + "=modules", Check.TAGS + "=deployment"})
public final class ModulesCheck implements Check {

    private final Deployer deployer;
    private final int loop;

    @Activate
    public ModulesCheck(@Reference Deployer deployer, HealthConfig config) {
        this.deployer = deployer;
        this.loop = Math.max(1, config.restart_loop_count());
    }

    @Override
    public CheckResult run() {
        return judge(deployer.status(), loop);
    }

    static CheckResult judge(DeploymentStatus status, int loop) {
        List<String> looping = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, ModuleStatus> e : status.modules().entrySet()) {
            ModuleStatus m = e.getValue();
            String why = m.statusDescription() == null || m.statusDescription().isEmpty() ? ""
                    : ": " + m.statusDescription();
            boolean down = !"running".equals(m.runtimeStatus());
            if (down && m.restartCount() >= loop && "running".equals(m.status())) {
                looping.add(e.getKey() + " restarted " + m.restartCount() + " times, now " + m.runtimeStatus() + why);
            } else if (!m.status().equals(m.runtimeStatus())) {
                wrong.add(e.getKey() + " is " + m.runtimeStatus() + " (desired " + m.status() + ")" + why);
            }
        }
        DeploymentStatus.Outcome last = status.lastDesiredStatus();
        if (last != null && last.code() != 200) {
            looping.add(0, "deployment version " + status.lastDesiredVersion() + " refused (" + last.code() + "): "
                    + last.description());
            looping.addAll(wrong);
            return CheckResult.critical(String.join("; ", looping), "fix the manifest (edge:deploy --dry-run"
                    + " checks one) and deploy it again; the modules of the deployment before keep running");
        }
        if (!looping.isEmpty()) {
            looping.addAll(wrong);
            return CheckResult.critical("restart loop: " + String.join("; ", looping), "read why it stops:"
                    + " edge:logs <module> and edge:status; fix its configuration or image, then edge:restart"
                    + " <module>");
        }
        if (!wrong.isEmpty()) {
            return CheckResult.warn(String.join("; ", wrong), "see edge:status and edge:logs <module>");
        }
        if (last == null) {
            return CheckResult.ok("no deployment yet; modules in deploy/ run unmanaged");
        }
        return CheckResult.ok(status.modules().size() + " modules in their desired state (deployment version "
                + status.lastDesiredVersion() + ")");
    }
}
