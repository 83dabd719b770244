/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.spi;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

import org.outpost.protocol.SasToken;

/**
 * What a client presented at CONNECT: the MQTT password (a SAS token, or a key itself) and the certificate of its TLS
 * handshake, with the checks that do not depend on an identity store (a SAS token's signature and expiry, a
 * certificate's validity and thumbprint). Never logged: {@link #toString()} names no secret.
 */
public final class Credentials {

    private static final String SAS_PREFIX = "SharedAccessSignature ";

    private final String hostName;
    private final String password;
    private final X509Certificate certificate;

    /**
     * @param hostName the server's host name, as SAS tokens name it
     * @param password the MQTT password, or null
     * @param certificate the TLS client certificate, or null (no TLS, or none presented)
     */
    public Credentials(String hostName, String password, X509Certificate certificate) {
        this.hostName = hostName;
        this.password = password == null || password.isEmpty() ? null : password;
        this.certificate = certificate;
    }

    public String hostName() {
        return hostName;
    }

    /** @return the password, if one was given (not empty) */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** @return the TLS client certificate, if one was presented */
    public Optional<X509Certificate> certificate() {
        return Optional.ofNullable(certificate);
    }

    /** @return true if the password is a SAS token ({@code SharedAccessSignature ...}), not a key */
    public boolean hasSasToken() {
        return password != null && password.startsWith(SAS_PREFIX);
    }

    /**
     * @return the password read as a SAS token
     * @throws IllegalArgumentException saying what is wrong, if it is none ({@link #hasSasToken()} is false, or it is
     *             malformed)
     */
    public SasToken sasToken() {
        if (!hasSasToken()) {
            throw new IllegalArgumentException("the password is not a SAS token (SharedAccessSignature ...)");
        }
        return SasToken.parse(password);
    }

    /**
     * Checks a SAS token against an identity's keys: it must be signed with one of them, for the identity's resource
     * ({@link Identity#sasResource}) and not expired.
     *
     * @param token the token
     * @param resource the resource it must be for
     * @param primaryKey the identity's key (Base64), or null
     * @param secondaryKey its secondary key, tried when the primary does not match the signature, or null
     * @param now the time
     * @return why it is refused, or empty if it is valid
     */
    public static Optional<String> checkSasToken(SasToken token, String resource, String primaryKey,
            String secondaryKey, Instant now) {
        SasToken.Check check = primaryKey == null ? SasToken.Check.BAD_SIGNATURE
                : token.check(resource, primaryKey, now);
        if (check == SasToken.Check.BAD_SIGNATURE && secondaryKey != null) {
            // Signed with the secondary key, as a device is while its primary key is rotated.
            check = token.check(resource, secondaryKey, now);
        }
        return switch (check) {
            case VALID -> Optional.empty();
            case EXPIRED -> Optional.of("SAS token expired at " + token.expiry());
            case WRONG_RESOURCE -> Optional.of("SAS token is for '" + token.resource() + "', not " + resource);
            case BAD_SIGNATURE -> Optional.of("SAS token signature does not match the device key");
        };
    }

    /** @return why the client certificate is not valid now, or empty if it is (or there is none) */
    public Optional<String> certificateValidity() {
        if (certificate == null) {
            return Optional.empty();
        }
        try {
            certificate.checkValidity();
            return Optional.empty();
        } catch (CertificateException e) {
            return Optional.of("the client certificate is not valid now (" + e.getMessage() + ")");
        }
    }

    /**
     * @param thumbprint a registered thumbprint, upper-case hex: SHA-1 (40 digits) or SHA-256 (64)
     * @return true if the client certificate has it
     */
    public boolean certificateMatches(String thumbprint) {
        return certificate != null && thumbprint.equals(thumbprint(certificate, thumbprint.length() == 40 ? "SHA-1"
                : "SHA-256"));
    }

    /** @return the certificate's thumbprint under {@code algorithm} (SHA-1, SHA-256), upper-case hex */
    public static String thumbprint(X509Certificate certificate, String algorithm) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance(algorithm)
                    .digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot take the " + algorithm + " thumbprint: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Credentials[" + (hasSasToken() ? "SAS token" : password != null ? "key" : "no password")
                + (certificate == null ? "" : ", certificate " + certificate.getSubjectX500Principal()) + "]";
    }
}
