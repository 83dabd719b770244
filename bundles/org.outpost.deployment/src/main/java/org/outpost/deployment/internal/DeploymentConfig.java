/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The deployment service's configuration ({@code etc/org.outpost.deployment.cfg}; docs/configuration.md). */
@ObjectClassDefinition(name = "Outpost deployment", description = "Applies IoT Edge deployment manifests.")
public @interface DeploymentConfig {
    @AttributeDefinition(description = "URL schemes bundle modules and feature repositories may come from.")
    String[] allowed_schemes() default {"mvn", "file", "https"};

    @AttributeDefinition(description = "Directories file: locations must be in (${karaf.home} and ${karaf.data}"
            + " are expanded).")
    String[] allowed_file_dirs() default {"${karaf.home}/modules"};

    @AttributeDefinition(description = "Maven group ids (a trailing '.' allows sub-groups) mvn: locations may"
            + " name; empty allows any.")
    String[] allowed_maven_groups() default {};

    @AttributeDefinition(description = "Hosts URL locations (https: bundles, feature repositories) may name; a"
            + " '*.' prefix allows a domain's hosts. Empty: none.")
    String[] allowed_hosts() default {};

    @AttributeDefinition(description = "Whether process modules (container modules with settings.command) may run:"
            + " they run any program as the gateway's user.")
    boolean process_modules_enabled() default false;

    @AttributeDefinition(description = "Whether createOptions may make a container privileged.")
    boolean container_allowed_privileged() default false;

    @AttributeDefinition(description = "Capabilities createOptions' HostConfig.CapAdd may name (NET_ADMIN, ...).")
    String[] container_allowed_capabilities() default {};

    @AttributeDefinition(description = "Host namespaces a container may share (network, pid, ipc, uts, userns):"
            + " HostConfig.NetworkMode, PidMode, IpcMode, UTSMode, UsernsMode 'host'.")
    String[] container_allowed_host_namespaces() default {};

    @AttributeDefinition(description = "Whether HostConfig.SecurityOpt may turn a security profile off"
            + " (seccomp=unconfined, apparmor=unconfined, label=disable).")
    boolean container_allowed_unconfined() default false;

    @AttributeDefinition(description = "Host devices (or directories of them) HostConfig.Devices may name.")
    String[] container_allowed_devices() default {};

    @AttributeDefinition(description = "Host directories HostConfig.Binds and bind Mounts may name, with what is"
            + " below them (named volumes are always allowed).")
    String[] container_allowed_bind_paths() default {};

    @AttributeDefinition(description = "The network image modules run on when their createOptions name none;"
            + " empty: the engine's default.")
    String container_network() default "";

    @AttributeDefinition(description = "Configuration PIDs no module may have (settings.pid): the gateway's and its"
            + " platform's. A PID, or a prefix and '.*' for it and every PID below it.")
    String[] config_reserved_pids() default {"org.outpost.*", "org.apache.*", "org.ops4j.*", "org.eclipse.*",
        "felix.*", "karaf.*", "jmx.*"};

    @AttributeDefinition(description = "Configuration PIDs a module may have although config.reserved.pids"
            + " matches them (the samples'). A module always has org.outpost.module.<name> and PIDs below it.")
    String[] config_allowed_pids() default {"org.outpost.samples.*"};

    @AttributeDefinition(description = "Seconds a changed module has to reach running before the deployment is"
            + " rolled back.")
    int probation_seconds() default 20;

    @AttributeDefinition(description = "Wait before the first restart (ms); it doubles per restart.")
    long restart_backoff_ms() default 10_000;

    @AttributeDefinition(description = "Longest wait before a restart (ms).")
    long restart_backoff_max_ms() default 300_000;

    @AttributeDefinition(description = "Restarts after which a module is given up (failed).")
    int restart_max() default 20;

    @AttributeDefinition(description = "Minutes of running after which the restart count is reset.")
    int restart_reset_minutes() default 10;

    @AttributeDefinition(description = "Minutes after which a module given up (failed after restart.max restarts)"
            + " gets a new series of restarts; 0 never. A gateway start always gives it one.")
    int restart_failed_retry_minutes() default 60;

    @AttributeDefinition(description = "A deployment manifest in ${karaf.etc}, applied when it changes (local,"
            + " offline deployments); empty for none.")
    String deployment_file() default "deployment.json";

    @AttributeDefinition(description = "Seconds between two health checks of a module that has a HealthCheck"
            + " service or a health command (settings.healthCheck, which may set its own intervalSeconds).")
    int health_interval_seconds() default 5;

    @AttributeDefinition(description = "Seconds to connect to where an https: bundle or feature repository is"
            + " downloaded from (mvn: has its own in etc/org.ops4j.pax.url.mvn.cfg).")
    int download_connect_timeout_seconds() default 10;

    @AttributeDefinition(description = "Seconds an https: download may go without receiving anything before the"
            + " deployment fails (and is rolled back).")
    int download_read_timeout_seconds() default 60;

    @AttributeDefinition(description = "Container engines to run image-based container modules with, the first"
            + " found on the PATH (a name), or a path to one.")
    String[] container_engines() default {"podman", "docker"};

    @AttributeDefinition(description = "Kilobytes of output kept per container module: output.log is rotated to"
            + " output.log.1 at this size, so both together hold at most twice as much.")
    int container_log_max_kb() default 10_240;

    @AttributeDefinition(description = "Seconds a container module's image pull may take (the module is"
            + " 'pulling' meanwhile, and its probation begins after it); then the pull is ended and the image"
            + " the engine has runs.")
    int container_pull_timeout_seconds() default 900;

    @AttributeDefinition(description = "The gateway's environment variables a process module keeps beside its own"
            + " (env in its manifest, IOTEDGE_*, OUTPOST_*); the others (whatever the gateway was started with) are not"
            + " passed on. A container engine keeps all (it passes a module only what the module names).")
    String[] process_environment_inherit() default {"PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL",
        "LC_CTYPE", "TZ", "TMPDIR", "JAVA_HOME"};
}
