/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.api;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The gateway's certificate authority (made at its first start, private key owner-only) and the server certificate it
 * issues for the gateway's host names, renewed before it expires. Modules and downstream devices trust the CA
 * certificate ({@code edge:ca}, the workload API's trust bundle, {@code EdgeModuleCACertificateFile}).
 */
@ProviderType
public interface GatewayCertificates {

    /** @return the CA certificate, PEM */
    String caCertificatePem();

    /** @return a file holding {@link #caCertificatePem()} */
    Path caCertificateFile();

    /**
     * @return a PKCS#12 key store with the server's private key and its chain (server certificate, CA certificate),
     *         under {@link #serverKeyStorePassword()}; replaced (atomically) when the certificate is renewed
     */
    Path serverKeyStore();

    /** @return the password of {@link #serverKeyStore()} */
    char[] serverKeyStorePassword();

    /** @return the host names (and addresses) the server certificate names */
    List<String> serverHostNames();

    /** @return when the current server certificate expires */
    Instant serverNotAfter();

    /** @return when the CA certificate expires */
    Instant caNotAfter();

    /**
     * @param listener run (on any thread) after the server certificate was renewed, so that servers load the new one
     * @return stops it
     */
    AutoCloseable onRenewal(Runnable listener);
}
