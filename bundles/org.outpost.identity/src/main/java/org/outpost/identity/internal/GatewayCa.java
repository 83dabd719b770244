/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.outpost.commons.Listeners;
import org.outpost.identity.internal.CertificateIssuer.Issued;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's certificate authority and its server certificate, kept in a {@link CaFiles} folder. {@link #check}
 * makes them at first start and renews them when they near expiry (or, for the server certificate, when the host
 * names change); the files are the truth, read again at every check, and one that cannot be used is reported, never
 * replaced.
 */
final class GatewayCa {

    /** What a check did. */
    enum Outcome {
        /** Nothing was due. */
        UNCHANGED,
        /** A new CA and server certificate were made (first start). */
        CREATED,
        /** The server certificate was missing, or not issued by the CA, and was issued. */
        SERVER_ISSUED,
        /** The host names changed, and the server certificate was issued for the new ones. */
        HOSTS_CHANGED,
        /** The server certificate neared expiry and was renewed. */
        SERVER_RENEWED,
        /** The CA neared expiry: a new CA and a new server certificate were made. */
        CA_RENEWED
    }

    /** The CA and server certificate in use. */
    record State(Issued ca, Issued server, char[] password) {
        List<String> hostNames() {
            return CertificateIssuer.hostNames(server.certificate());
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(GatewayCa.class);

    private final CaFiles files;
    private final CertificateIssuer issuer;
    private final Supplier<String> deviceId;
    private final Clock clock;
    private final SecureRandom random;
    private final Listeners<Runnable> renewals = new Listeners<>("gateway server certificate renewals");
    private volatile State state;

    GatewayCa(CaFiles files, Supplier<String> deviceId, Clock clock, SecureRandom random) {
        this.files = files;
        this.deviceId = deviceId;
        this.clock = clock;
        this.random = random;
        this.issuer = new CertificateIssuer(random);
    }

    CaFiles files() {
        return files;
    }

    /** @return the CA and server certificate in use; null before the first successful {@link #check} */
    State state() {
        return state;
    }

    Listeners.Subscription onRenewal(Runnable listener) {
        return renewals.subscribe(listener);
    }

    /**
     * Reads the folder and makes, renews or re-issues what is due; tells the renewal listeners when the server's key
     * store changed.
     *
     * @throws IOException if a file is there but cannot be used (naming it and what to do), or cannot be written
     */
    synchronized Outcome check(IdentitySettings settings) throws IOException {
        Instant now = clock.instant();
        files.createDir();
        boolean hasServer = Files.exists(files.serverKeyStore());
        Optional<Issued> existing = files.readCa();
        if (existing.isEmpty() && hasServer) {
            throw files.unusable(files.caKeyFile(), "is missing, but " + CaFiles.SERVER + " is there");
        }
        Optional<char[]> storedPassword = files.readPassword();
        if (storedPassword.isEmpty() && hasServer) {
            throw files.unusable(files.passwordFile(), "is missing, so " + CaFiles.SERVER + " cannot be opened");
        }
        char[] password = storedPassword.isPresent() ? storedPassword.get() : files.newPassword(random);
        Optional<CaFiles.Server> server = files.readServer(password);
        List<String> hosts = settings.hostNames();
        try {
            Outcome outcome;
            Issued ca;
            Issued issued;
            if (existing.isEmpty()) {
                ca = newCa(settings, now);
                issued = newServer(ca, settings, now);
                outcome = Outcome.CREATED;
                LOG.info("Gateway CA created: {}, valid until {} ({}); server certificate for {}, valid until {}",
                        subject(ca), notAfter(ca), files.caCertFile(), hosts, notAfter(issued));
            } else if (!now.isBefore(renewAt(existing.get().certificate(), settings))) {
                ca = newCa(settings, now);
                issued = newServer(ca, settings, now);
                outcome = Outcome.CA_RENEWED;
                LOG.warn("Gateway CA renewed: the old one expires {}; the new one, {}, is valid until {}. Modules and"
                        + " devices must trust the new CA certificate {} (edge:ca). Server certificate renewed for {},"
                        + " valid until {}", notAfter(existing.get()), subject(ca), notAfter(ca), files.caCertFile(),
                        hosts, notAfter(issued));
            } else {
                ca = existing.get();
                Issued current = server.map(CaFiles.Server::issued).orElse(null);
                if (current == null || !CertificateIssuer.issuedBy(current.certificate(), ca.certificate())) {
                    issued = newServer(ca, settings, now);
                    outcome = Outcome.SERVER_ISSUED;
                    LOG.info("Gateway server certificate issued for {}, valid until {}: {} {}", hosts, notAfter(issued),
                            files.serverKeyStore(), current == null ? "was missing"
                                    : "held a certificate of another CA (an interrupted CA renewal?)");
                } else if (!new HashSet<>(CertificateIssuer.hostNames(current.certificate()))
                        .equals(new HashSet<>(hosts))) {
                    issued = newServer(ca, settings, now);
                    outcome = Outcome.HOSTS_CHANGED;
                    LOG.info("Gateway server certificate re-issued for {} (it named {}), valid until {}", hosts,
                            CertificateIssuer.hostNames(current.certificate()), notAfter(issued));
                } else if (!now.isBefore(renewAt(current.certificate(), settings))) {
                    issued = newServer(ca, settings, now);
                    outcome = Outcome.SERVER_RENEWED;
                    LOG.info("Gateway server certificate renewed for {}, valid until {}", hosts, notAfter(issued));
                } else {
                    issued = current;
                    outcome = Outcome.UNCHANGED;
                }
            }
            if (outcome == Outcome.CREATED || outcome == Outcome.CA_RENEWED) {
                files.writeCa(ca);
            } else if (files.writeCaCopy(ca.certificate())) {
                LOG.info("{} did not hold the gateway's CA certificate; written again", files.caCertFile());
            }
            if (outcome != Outcome.UNCHANGED) {
                files.writeServer(issued, ca.certificate(), password);
            }
            state = new State(ca, issued, password);
            if (outcome != Outcome.UNCHANGED && outcome != Outcome.CREATED) {
                renewals.fire(Runnable::run);
            }
            return outcome;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make the gateway's certificates: " + e.getMessage(), e);
        }
    }

    /**
     * @return when a certificate is due for renewal: {@code renew.before.days} before it expires, or when a third of
     *         its life is left
     */
    static Instant renewAt(X509Certificate certificate, IdentitySettings settings) {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        Duration before = settings.renewBeforeDays() > 0 ? Duration.ofDays(settings.renewBeforeDays())
                : Duration.between(notBefore, notAfter).dividedBy(3);
        return notAfter.minus(before);
    }

    private Issued newCa(IdentitySettings settings, Instant now) throws GeneralSecurityException {
        return issuer.newCa(deviceId.get(), now, settings.caValidityDays());
    }

    private Issued newServer(Issued ca, IdentitySettings settings, Instant now) throws GeneralSecurityException {
        return issuer.newServer(ca, settings.hostNames(), now, settings.serverValidityDays());
    }

    private static String subject(Issued issued) {
        return issued.certificate().getSubjectX500Principal().getName();
    }

    private static Instant notAfter(Issued issued) {
        return issued.certificate().getNotAfter().toInstant();
    }
}
