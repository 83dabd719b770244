/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

import org.outpost.commons.AtomicFiles;
import org.outpost.identity.internal.CertificateIssuer.Issued;

/**
 * The CA's folder ({@code ${karaf.data}/outpost/ca}, owner-only): {@value #CA_KEY} holds the CA's private key and its
 * certificate in one file, so the pair is replaced at once; {@value #CA_CERT} is the CA certificate for modules and
 * devices; {@value #SERVER} is the server's key and chain, under the password in {@value #PASSWORD}, which is made once
 * and kept when the certificate is renewed. Every write is atomic; secrets are owner-only. A file that is there but
 * cannot be used is an {@link IOException} that names it and says what to do; nothing here replaces it.
 */
final class CaFiles {

    static final String CA_KEY = "ca.key.pem";
    static final String CA_CERT = "ca.pem";
    static final String SERVER = "server.p12";
    static final String PASSWORD = "server.p12.password";

    private static final String ALIAS = "server";
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path dir;

    CaFiles(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    Path dir() {
        return dir;
    }

    Path caKeyFile() {
        return dir.resolve(CA_KEY);
    }

    Path caCertFile() {
        return dir.resolve(CA_CERT);
    }

    Path serverKeyStore() {
        return dir.resolve(SERVER);
    }

    Path passwordFile() {
        return dir.resolve(PASSWORD);
    }

    /** Makes the folder, owner-only, if it is not there. */
    void createDir() throws IOException {
        createOwnerOnlyDir(dir);
    }

    /** Makes {@code dir} (and its parents) if it is not there, itself readable by its owner only (POSIX 0700). */
    static void createOwnerOnlyDir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir.toAbsolutePath().getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectory(dir);
        }
    }

    /** @return the CA (key and certificate), or empty if it has none yet */
    Optional<Issued> readCa() throws IOException {
        Path file = caKeyFile();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Pem.Contents pem;
        try {
            pem = Pem.read(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw unusable(file, "cannot be read (" + e.getMessage() + ")");
        }
        if (pem.key() == null || pem.certificates().isEmpty()) {
            throw unusable(file, "does not hold both the CA's private key and its certificate");
        }
        X509Certificate cert = pem.certificates().get(0);
        if (!CertificateIssuer.matches(pem.key(), cert.getPublicKey())) {
            throw unusable(file, "holds a private key that does not match its CA certificate");
        }
        return Optional.of(new Issued(pem.key(), cert));
    }

    /** Replaces the CA: its key file first (one atomic write), then the public copy {@value #CA_CERT}. */
    void writeCa(Issued ca) throws IOException {
        AtomicFiles.writeOwnerOnly(caKeyFile(), (Pem.privateKey(ca.key()) + Pem.certificates(ca.certificate()))
                .getBytes(StandardCharsets.US_ASCII));
        writeCaCopy(ca.certificate());
    }

    /** Writes {@value #CA_CERT} unless it already holds exactly {@code ca}. */
    boolean writeCaCopy(X509Certificate ca) throws IOException {
        String pem = Pem.certificates(ca);
        Path file = caCertFile();
        if (Files.exists(file) && Files.readString(file, StandardCharsets.US_ASCII).equals(pem)) {
            return false;
        }
        AtomicFiles.write(file, pem);
        return true;
    }

    /** @return the key store password, or empty if it has none yet */
    Optional<char[]> readPassword() throws IOException {
        Path file = passwordFile();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (text.isEmpty()) {
            throw unusable(file, "is empty: it should hold the password of " + SERVER);
        }
        return Optional.of(text.toCharArray());
    }

    /** Makes and stores a new random key store password. */
    char[] newPassword(SecureRandom random) throws IOException {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        AtomicFiles.writeOwnerOnly(passwordFile(), (password + "\n").getBytes(StandardCharsets.US_ASCII));
        return password.toCharArray();
    }

    /** The server's key and certificate from the key store, and the CA certificate the key store chains to. */
    record Server(Issued issued, X509Certificate chainedCa) {
    }

    /** @return the server's key and chain, or empty if there is no key store yet */
    Optional<Server> readServer(char[] password) throws IOException {
        Path file = serverKeyStore();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(new ByteArrayInputStream(Files.readAllBytes(file)), password);
            if (!(ks.getKey(ALIAS, password) instanceof PrivateKey key)
                    || !(ks.getCertificate(ALIAS) instanceof X509Certificate cert)) {
                throw unusable(file, "holds no key '" + ALIAS + "' with its certificate");
            }
            if (!CertificateIssuer.matches(key, cert.getPublicKey())) {
                throw unusable(file, "holds a private key that does not match its server certificate");
            }
            Certificate[] chain = ks.getCertificateChain(ALIAS);
            X509Certificate ca = chain != null && chain.length > 1 && chain[1] instanceof X509Certificate c ? c : null;
            return Optional.of(new Server(new Issued(key, cert), ca));
        } catch (GeneralSecurityException | IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
                throw (IOException) e;
            }
            throw unusable(file, "cannot be opened with the password in " + PASSWORD + " (" + e.getMessage() + ")");
        }
    }

    /** Replaces the key store (one atomic write) with the server's key and its chain. */
    void writeServer(Issued server, X509Certificate ca, char[] password) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, server.key(), password, new Certificate[] {server.certificate(), ca});
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, password);
            AtomicFiles.writeOwnerOnly(serverKeyStore(), out.toByteArray());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write the key store " + serverKeyStore() + ": " + e, e);
        }
    }

    /** @return the error for a file that is there but cannot be used: which, why, and what to do */
    IOException unusable(Path file, String why) {
        return new IOException(file + " " + why + ". The gateway does not replace it on its own: restore it from a"
                + " backup, or delete the folder " + dir + " to start over with a new CA (modules and devices must"
                + " then trust the new CA certificate, edge:ca).");
    }
}
