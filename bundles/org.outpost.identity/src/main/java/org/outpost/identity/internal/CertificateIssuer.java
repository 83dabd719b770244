/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the gateway's certificates: a CA (EC P-256, self-signed, may sign end-entity certificates only) and server
 * certificates it signs for the gateway's host names. EC P-256 rather than RSA 2048: the same security as RSA 3072 in
 * a 32-byte key, key generation in milliseconds instead of up to a second, and cheaper TLS handshakes on small
 * devices; every Azure IoT SDK's TLS stack (Java, .NET, OpenSSL, mbedTLS) supports ECDSA P-256.
 */
final class CertificateIssuer {

    /** A private key and the certificate of its public key. */
    record Issued(PrivateKey key, X509Certificate certificate) {
    }

    private static final String SIGNATURE = "SHA256withECDSA";
    /** Certificates are valid from a little before they are made, for clocks a little behind this one. */
    private static final Duration BACKDATE = Duration.ofMinutes(5);

    private final SecureRandom random;

    CertificateIssuer(SecureRandom random) {
        this.random = random;
    }

    /** @return a new CA named {@code Outpost gateway CA <deviceId>}, valid {@code days} from {@code now} */
    Issued newCa(String deviceId, Instant now, int days) throws GeneralSecurityException {
        KeyPair keys = keyPair();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "Outpost gateway CA " + deviceId)
                .build();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(BACKDATE)),
                Date.from(now.plus(Duration.ofDays(days))), name, keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        } catch (CertIOException e) {
            throw new GeneralSecurityException("cannot add an extension to the CA certificate: " + e, e);
        }
        return new Issued(keys.getPrivate(), sign(b, keys.getPrivate()));
    }

    /**
     * @return a new server certificate signed by {@code ca}, naming {@code hosts} (the first is also its common name),
     *         valid {@code days} from {@code now} but never beyond the CA
     */
    Issued newServer(Issued ca, List<String> hosts, Instant now, int days) throws GeneralSecurityException {
        KeyPair keys = keyPair();
        Instant notAfter = now.plus(Duration.ofDays(days));
        Instant caNotAfter = ca.certificate().getNotAfter().toInstant();
        if (notAfter.isAfter(caNotAfter)) {
            notAfter = caNotAfter;
        }
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, hosts.get(0)).build();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                Date.from(now.minus(BACKDATE)), Date.from(notAfter), subject, keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        GeneralName[] names = hosts.stream().map(h -> new GeneralName(IdentitySettings.isIpAddress(h)
                ? GeneralName.iPAddress : GeneralName.dNSName, h)).toArray(GeneralName[]::new);
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(
                    ca.certificate()));
        } catch (CertIOException e) {
            throw new GeneralSecurityException("cannot add an extension to the server certificate: " + e, e);
        }
        return new Issued(keys.getPrivate(), sign(b, ca.key()));
    }

    /** @return the host names and addresses a certificate names (its subject alternative names), in order */
    static List<String> hostNames(X509Certificate certificate) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> n : names) {
                    if (n.get(1) instanceof String s) {
                        out.add(s);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return List.of();
        }
        return out;
    }

    /** @return whether {@code key} is the private key of {@code publicKey} (it signs what the public key verifies) */
    static boolean matches(PrivateKey key, PublicKey publicKey) {
        try {
            byte[] challenge = "outpost key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(SIGNATURE);
            s.initSign(key);
            s.update(challenge);
            byte[] signature = s.sign();
            Signature v = Signature.getInstance(SIGNATURE);
            v.initVerify(publicKey);
            v.update(challenge);
            return v.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** @return whether {@code certificate} was signed by {@code ca} */
    static boolean issuedBy(X509Certificate certificate, X509Certificate ca) {
        try {
            certificate.verify(ca.getPublicKey());
            return certificate.getIssuerX500Principal().equals(ca.getSubjectX500Principal());
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return g.generateKeyPair();
    }

    /** A positive serial of up to 159 bits (RFC 5280 allows 20 bytes), random so that no two repeat. */
    private BigInteger serial() {
        return new BigInteger(159, random).setBit(0);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(SIGNATURE)
                    .build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign a certificate: " + e, e);
        }
    }
}
