/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.health.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.outpost.api.health.Check;
import org.outpost.api.health.CheckResult;
import org.outpost.identity.api.GatewayCertificates;

/**
 * Certificate expiry: the gateway's CA and server certificate, and the CA files the gateway trusts its upstream and
 * twins with ({@code tls.ca} of any configuration).
 */
@Component(service = Check.class, configurationPid = HealthConfig.PID, property = {
    Check.NAME + "=certificate expiry", Check.TAGS + "=security", Check.TAGS + "=certificates"})
public final class CertificateCheck implements Check {

    /** The server certificate is renewed when a third of its life (30 days) is left: below this, renewal failed. */
    static final Duration SERVER_WARN = Duration.ofDays(7);

    private final GatewayCertificates certificates;
    private final ConfigurationAdmin configurations;
    private final Duration warnBefore;

    @Activate
    public CertificateCheck(@Reference GatewayCertificates certificates, @Reference ConfigurationAdmin configurations,
            HealthConfig config) {
        this.certificates = certificates;
        this.configurations = configurations;
        this.warnBefore = Duration.ofDays(Math.max(0, config.certificate_warn_days()));
    }

    @Override
    public CheckResult run() throws IOException, InvalidSyntaxException {
        List<CertificateExpiry.Cert> certs = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        certs.add(new CertificateExpiry.Cert("the gateway's CA (" + certificates.caCertificateFile() + ")",
                certificates.caNotAfter(), warnBefore, "the gateway replaces its CA near expiry: restart the identity"
                        + " bundle or the gateway, then give modules and devices the new ca.pem (edge:ca)"));
        certs.add(new CertificateExpiry.Cert("the gateway's server certificate for " + certificates
                .serverHostNames(), certificates.serverNotAfter(), SERVER_WARN, "it should have been renewed: see"
                        + " the log for 'server certificate', check renew.before.days in"
                        + " etc/org.outpost.identity.cfg, and restart the gateway to renew it"));
        Path etc = Path.of(System.getProperty("karaf.etc", "etc"));
        Configuration[] withCa = configurations.listConfigurations("(tls.ca=*)");
        for (Configuration c : withCa == null ? new Configuration[0] : withCa) {
            Object file = c.getProperties().get("tls.ca");
            if (!(file instanceof String name) || name.isBlank()) {
                continue;
            }
            Path pem = etc.resolve(name.strip());
            try {
                for (Instant notAfter : CertificateExpiry.notAfter(pem)) {
                    certs.add(new CertificateExpiry.Cert("tls.ca " + pem + " of " + c.getPid(), notAfter, warnBefore,
                            "put the peer's new CA certificate in " + pem + " (tls.ca of etc/" + c.getPid()
                                    + ".cfg) before the peer's certificate changes"));
                }
            } catch (IOException e) {
                unreadable.add("tls.ca of " + c.getPid() + ": " + e.getMessage());
            }
        }
        return CertificateExpiry.judge(certs, unreadable, Instant.now());
    }
}
