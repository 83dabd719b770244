/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.outpost.api.health.CheckResult;
import org.outpost.api.health.CheckResult.Level;
import org.outpost.api.runtime.UpstreamStatus;
import org.outpost.broker.api.StorageState;
import org.outpost.deployment.api.DeploymentStatus;
import org.outpost.deployment.api.DeploymentStatus.ModuleStatus;
import org.outpost.deployment.api.DeploymentStatus.Outcome;

/** The built-in checks' judgements of what they read, each with what to do when not ok. */
class JudgesTest {

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    @Test
    void certificatesExpiredAreCriticalExpiringSoonWarnAndOtherwiseTheNearestIsNamed() {
        CertificateExpiry.Cert ca = new CertificateExpiry.Cert("the gateway's CA", NOW.plus(Duration.ofDays(300)),
                Duration.ofDays(30), "renew the CA");
        CertificateExpiry.Cert server = new CertificateExpiry.Cert("the server certificate", NOW.plus(Duration
                .ofDays(20)), Duration.ofDays(7), "renew the server certificate");
        assertThat(CertificateExpiry.judge(List.of(ca, server), List.of(), NOW)).isEqualTo(CheckResult.ok(
                "2 certificates valid; the first to expire: the server certificate in 20 days"));

        CertificateExpiry.Cert soon = new CertificateExpiry.Cert("tls.ca /etc/hub.pem", NOW.plus(Duration.ofDays(3)),
                Duration.ofDays(30), "replace hub.pem");
        assertThat(CertificateExpiry.judge(List.of(ca, soon), List.of(), NOW)).isEqualTo(CheckResult.warn(
                "tls.ca /etc/hub.pem expires in 3 days (2026-12-08T10:00:00Z)", "replace hub.pem"));

        CertificateExpiry.Cert expired = new CertificateExpiry.Cert("the server certificate", NOW.minusSeconds(1),
                Duration.ofDays(7), "renew the server certificate");
        CheckResult r = CertificateExpiry.judge(List.of(soon, expired), List.of(), NOW);
        assertThat(r.level()).isEqualTo(Level.CRITICAL);
        assertThat(r.detail()).isEqualTo("the server certificate expired at 2026-12-05T09:59:59Z; tls.ca /etc/hub.pem"
                + " expires in 3 days (2026-12-08T10:00:00Z)");
        assertThat(r.action()).isEqualTo("replace hub.pem; renew the server certificate");
    }

    @Test
    void anUnreadableCaFileIsCritical() {
        assertThat(CertificateExpiry.judge(List.of(), List.of("tls.ca of org.outpost.twin: no such file"), NOW)
                .level()).isEqualTo(Level.CRITICAL);
    }

    private static UpstreamStatus upstream(String state, String error) {
        return new UpstreamStatus("ssl://hub:8883", "gw1", state, 12, 0, 0, null, error, error.isEmpty() ? null
                : NOW.minusSeconds(4), null);
    }

    @Test
    void upstreamConnectedIsOkRefusedCredentialsCriticalAndAwayAWarning() {
        assertThat(UpstreamCheck.judge(upstream("connected", ""), NOW).level()).isEqualTo(Level.OK);
        CheckResult refused = UpstreamCheck.judge(upstream("disconnected", "cannot connect to ssl://hub:8883: Not"
                + " authorized to connect [reason 5]"), NOW);
        assertThat(refused.level()).isEqualTo(Level.CRITICAL);
        assertThat(refused.detail()).startsWith("the cloud ssl://hub:8883 refuses the gateway's credentials")
                .endsWith("(4 s ago)");
        assertThat(refused.action()).contains("device.key");
        CheckResult away = UpstreamCheck.judge(upstream("connecting", "connection lost: Connection refused"), NOW);
        assertThat(away.level()).isEqualTo(Level.WARN);
        assertThat(away.detail()).endsWith("12 messages wait in the queue");
        assertThat(UpstreamCheck.judge(upstream("disconnected", "cannot connect: java.net.UnknownHostException:"
                + " hub"), NOW).detail()).startsWith("the cloud's host name does not resolve");
    }

    @Test
    void dnsNamesTheHostsThatDoNotResolveAndTheirConfiguration() {
        Map<String, String> hosts = new LinkedHashMap<>();
        hosts.put("hub.example", "org.outpost.upstream");
        hosts.put("nowhere.invalid", "org.outpost.twin");
        DnsCheck.Resolver resolver = host -> {
            if (host.endsWith(".invalid")) {
                throw new UnknownHostException(host);
            }
            return List.of("192.0.2.7");
        };
        assertThat(DnsCheck.judge(hosts, resolver)).isEqualTo(CheckResult.critical("cannot resolve nowhere.invalid"
                + " (url of org.outpost.twin)", "check the host name in the configuration named, and the gateway's"
                        + " DNS servers (/etc/resolv.conf, or add the host to /etc/hosts)"));
        hosts.remove("nowhere.invalid");
        assertThat(DnsCheck.judge(hosts, resolver)).isEqualTo(CheckResult.ok("hub.example = 192.0.2.7"));
    }

    @Test
    void diskSpaceBelowTheMinimumIsCriticalAndBelowTwiceAWarning() {
        long mb = 1024 * 1024;
        Path data = Path.of("/opt/outpost/data");
        assertThat(DiskCheck.judge(data, 100 * mb, 512 * mb).level()).isEqualTo(Level.CRITICAL);
        assertThat(DiskCheck.judge(data, 600 * mb, 512 * mb)).isEqualTo(CheckResult.warn("600 MB free for"
                + " /opt/outpost/data (under 1024 MB)", "free disk space on that file system, or lower"
                        + " storeAndForward.maxBytesPerEndpoint (the deployment) so the journal stays smaller"));
        assertThat(DiskCheck.judge(data, 5000 * mb, 512 * mb)).isEqualTo(CheckResult.ok("5000 MB free for"
                + " /opt/outpost/data"));
    }

    @Test
    void theJournalIsCriticalWhenFullAndWarnsCloseToTheLimit() {
        Path broker = Path.of("/opt/outpost/data/outpost/broker");
        assertThat(JournalCheck.judge(new StorageState(true, broker, 93, 90)).level()).isEqualTo(Level.CRITICAL);
        assertThat(JournalCheck.judge(new StorageState(false, broker, 86, 90))).isEqualTo(CheckResult.warn("disk:"
                + " /opt/outpost/data/outpost/broker is at 86% (max.disk.usage 90%); messages are refused from 90%",
                "free space on the journal's file system or raise max.disk.usage in etc/org.outpost.broker.cfg"));
        assertThat(JournalCheck.judge(new StorageState(false, broker, 46, 90)).level()).isEqualTo(Level.OK);
        assertThat(JournalCheck.judge(StorageState.UNKNOWN).level()).isEqualTo(Level.OK);
    }

    private static ModuleStatus module(String status, String runtime, int restarts, String why) {
        return new ModuleStatus("bundle", "1.0", status, runtime, why, NOW, restarts, null, null, null);
    }

    @Test
    void aModuleRestartedOverAndOverIsARestartLoopAndOneNotInItsDesiredStateAWarning() {
        Map<String, ModuleStatus> modules = new LinkedHashMap<>();
        modules.put("sensor", module("running", "running", 0, ""));
        modules.put("filter", module("running", "backoff", 4, "exited with 1"));
        modules.put("camera", module("stopped", "running", 0, ""));
        CheckResult r = ModulesCheck.judge(new DeploymentStatus(3, new Outcome(200, ""), modules), 3);
        assertThat(r.level()).isEqualTo(Level.CRITICAL);
        assertThat(r.detail()).isEqualTo("restart loop: filter restarted 4 times, now backoff: exited with 1; camera"
                + " is running (desired stopped)");
        assertThat(r.action()).contains("edge:logs <module>");

        modules.remove("filter");
        assertThat(ModulesCheck.judge(new DeploymentStatus(3, new Outcome(200, ""), modules), 3).level())
                .isEqualTo(Level.WARN);
        modules.remove("camera");
        assertThat(ModulesCheck.judge(new DeploymentStatus(3, new Outcome(200, ""), modules), 3))
                .isEqualTo(CheckResult.ok("1 modules in their desired state (deployment version 3)"));
        assertThat(ModulesCheck.judge(new DeploymentStatus(0, null, Map.of()), 3))
                .isEqualTo(CheckResult.ok("no deployment yet; modules in deploy/ run unmanaged"));
        CheckResult refused = ModulesCheck.judge(new DeploymentStatus(4, new Outcome(400, "modules.sensor.type:"
                + " unknown"), modules), 3);
        assertThat(refused.level()).isEqualTo(Level.CRITICAL);
        assertThat(refused.detail()).isEqualTo("deployment version 4 refused (400): modules.sensor.type: unknown");
    }

    @Test
    void aComponentThatFailedOnItsConfigurationIsCriticalAndOneWaitingForAServiceAWarning() {
        List<ConfigurationCheck.Problem> failed = List.of(new ConfigurationCheck.Problem("org.outpost.twin.internal"
                + ".CloudTwins", "org.outpost.twin", true, ConfigurationCheck.firstLine(
                        "java.lang.IllegalArgumentException: org.outpost.twin: no device key\n\tat x.y(Z.java:1)")));
        CheckResult r = ConfigurationCheck.judge(failed);
        assertThat(r.level()).isEqualTo(Level.CRITICAL);
        assertThat(r.detail()).isEqualTo("org.outpost.twin.internal.CloudTwins (org.outpost.twin):"
                + " java.lang.IllegalArgumentException: org.outpost.twin: no device key");
        assertThat(ConfigurationCheck.judge(List.of(new ConfigurationCheck.Problem("X", "org.outpost.y", false,
                "waits for routing"))).level()).isEqualTo(Level.WARN);
        assertThat(ConfigurationCheck.judge(List.of()).level()).isEqualTo(Level.OK);
    }
}
