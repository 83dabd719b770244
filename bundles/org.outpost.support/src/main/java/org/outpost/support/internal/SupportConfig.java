/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.support.internal;

import java.time.Duration;
import java.util.List;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/org.outpost.support.cfg}: what a support bundle holds and how uploads run. */
@ObjectClassDefinition(name = "Outpost support bundles and log uploads", description = "edge:support-bundle and"
        + " $edgeAgent's UploadModuleLogs, UploadSupportBundle and GetTaskStatus.")
public @interface SupportConfig {

    String PID = "org.outpost.support";

    @AttributeDefinition(description = "Configurations (PIDs; a trailing * for a prefix) whose every value is left out"
            + " of a support bundle, besides the keys whose names say they are secret.")
    String[] secret_pids() default {"org.apache.karaf.jaas", "org.outpost.operator", "org.outpost.secrets*"};

    @AttributeDefinition(description = "More words that make a configuration key or JSON field secret (the built-in"
            + " ones: password, key, token, secret, sas, sig, credentials, private, auth, ...).")
    String[] secret_words() default {};

    @AttributeDefinition(description = "Most characters of the gateway's own log in a support bundle (the newest are"
            + " cut; use --since).")
    long log_max_bytes() default 50_000_000L;

    @AttributeDefinition(description = "Most log entries per module in a support bundle.")
    int module_log_lines() default 10_000;

    @AttributeDefinition(description = "How long an upload task may run before it fails (seconds).")
    int task_timeout_seconds() default 600;

    @AttributeDefinition(description = "How long a finished task's status is kept for GetTaskStatus (minutes).")
    int task_kept_minutes() default 60;

    @AttributeDefinition(description = "Timeout of one HTTP PUT to the SAS URL (seconds).")
    int upload_timeout_seconds() default 300;

    /** The checked configuration. */
    record Settings(List<String> secretPids, List<String> secretWords, long logMaxBytes, int moduleLogLines,
            Duration taskTimeout, Duration taskKept, Duration uploadTimeout) {

        static Settings of(SupportConfig c) {
            if (c.log_max_bytes() < 1 || c.module_log_lines() < 1 || c.task_timeout_seconds() < 1
                    || c.task_kept_minutes() < 1 || c.upload_timeout_seconds() < 1) {
                throw new IllegalArgumentException("etc/" + PID + ".cfg: log.max.bytes, module.log.lines,"
                        + " task.timeout.seconds, task.kept.minutes and upload.timeout.seconds must be 1 or more");
            }
            return new Settings(List.of(c.secret_pids()), List.of(c.secret_words()), c.log_max_bytes(),
                    c.module_log_lines(), Duration.ofSeconds(c.task_timeout_seconds()),
                    Duration.ofMinutes(c.task_kept_minutes()), Duration.ofSeconds(c.upload_timeout_seconds()));
        }

        Redactor redactor() {
            return new Redactor(secretPids, secretWords);
        }
    }
}
