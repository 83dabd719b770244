/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.health.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.outpost.api.health.CheckResult;

/** Judges certificates by their expiry: critical when expired, a warning within the warning period. */
final class CertificateExpiry {

    /**
     * A certificate to judge.
     *
     * @param what what it is, for operators ({@code the gateway's CA (data/outpost/ca/ca.pem)})
     * @param notAfter when it expires
     * @param warnBefore how long before its expiry to warn
     * @param action what to do when it expires soon or expired
     */
    record Cert(String what, Instant notAfter, Duration warnBefore, String action) {
    }

    private CertificateExpiry() {
    }

    /** @return the worst of the certificates' results: the first expired or expiring one, or ok naming the nearest */
    static CheckResult judge(List<Cert> certs, List<String> unreadable, Instant now) {
        List<String> expired = new ArrayList<>();
        List<String> soon = new ArrayList<>();
        List<String> actions = new ArrayList<>();
        for (Cert c : certs) {
            if (!c.notAfter().isAfter(now)) {
                expired.add(c.what() + " expired at " + c.notAfter());
                actions.add(c.action());
            } else if (c.notAfter().isBefore(now.plus(c.warnBefore()))) {
                soon.add(c.what() + " expires in " + Duration.between(now, c.notAfter()).toDays() + " days ("
                        + c.notAfter() + ")");
                actions.add(c.action());
            }
        }
        if (!unreadable.isEmpty()) {
            return CheckResult.critical(String.join("; ", unreadable), "fix or replace the file named, which the"
                    + " gateway needs to trust its peer");
        }
        if (!expired.isEmpty()) {
            expired.addAll(soon);
            return CheckResult.critical(String.join("; ", expired), String.join("; ", actions.stream().distinct()
                    .toList()));
        }
        if (!soon.isEmpty()) {
            return CheckResult.warn(String.join("; ", soon), String.join("; ", actions.stream().distinct().toList()));
        }
        return certs.stream().min(Comparator.comparing(Cert::notAfter))
                .map(c -> CheckResult.ok(certs.size() + " certificates valid; the first to expire: " + c.what() + " in "
                        + Duration.between(now, c.notAfter()).toDays() + " days"))
                .orElse(CheckResult.ok("no certificates to check"));
    }

    /** @return the expiry of each certificate in a PEM file */
    static List<Instant> notAfter(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            List<Instant> result = new ArrayList<>();
            for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                result.add(((X509Certificate) c).getNotAfter().toInstant());
            }
            if (result.isEmpty()) {
                throw new IOException("no certificate in " + pem);
            }
            return result;
        } catch (CertificateException e) {
            throw new IOException("not a PEM certificate file: " + pem + ": " + e.getMessage(), e);
        }
    }
}
