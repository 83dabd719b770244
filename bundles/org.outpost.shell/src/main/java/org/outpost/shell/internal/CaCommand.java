/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.outpost.commons.Json;
import org.outpost.identity.api.GatewayCertificates;

/**
 * {@code edge:ca}: the CA certificate modules and devices trust, exactly as PEM (so that {@code edge:ca > ca.pem}
 * works in scripts), or what the gateway's certificates are ({@code --json}).
 */
@Service
@Command(scope = "edge", name = "ca", description = "Prints the gateway's CA certificate (PEM), which modules and"
        + " devices trust to connect to the gateway over TLS. --json: its subject and expiry, the server certificate's"
        + " host names and expiry, and the files.")
public class CaCommand implements Action {

    /** What {@code --json} prints. */
    record Info(String subject, Instant notAfter, Path caFile, List<String> serverHostNames, Instant serverNotAfter,
            Path serverKeyStore) {
    }

    @Reference
    GatewayCertificates certificates;

    @Option(name = "--json", description = "Print JSON for scripts: subject, expiry, server host names, files")
    boolean json;

    @Override
    public Object execute() throws CertificateException {
        String pem = certificates.caCertificatePem();
        if (!json) {
            System.out.print(pem);
            System.out.flush();
            return null;
        }
        X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        System.out.println(Json.write(new Info(ca.getSubjectX500Principal().getName(), certificates.caNotAfter(),
                certificates.caCertificateFile(), certificates.serverHostNames(), certificates.serverNotAfter(),
                certificates.serverKeyStore())));
        return null;
    }
}
