/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.outpost.commons.DaemonThreads;

/**
 * A parent gateway's IoT Hub endpoint as far as the child's upstream link meets it: TLS with a certificate made by the
 * JDK's keytool for {@code localhost}/127.0.0.1, and an MQTT 3.1.1 server that records what the client sent
 * (CONNECT's client id, user name and password, SUBSCRIBE filters, PUBLISH topics) and accepts all of it.
 */
final class RecordingTlsMqttServer implements AutoCloseable {

    /** What a CONNECT said. */
    record Connect(String clientId, String username, String password, boolean cleanSession) {
    }

    final List<Connect> connects = new CopyOnWriteArrayList<>();
    final List<String> subscriptions = new CopyOnWriteArrayList<>();
    final List<String> published = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final Path caPem;
    private final Path keyStore;

    /** Makes a key pair and self-signed certificate with keytool in {@code dir}, and listens on a free port. */
    RecordingTlsMqttServer(Path dir) throws Exception {
        Path store = dir.resolve("parent.p12");
        keyStore = store;
        caPem = dir.resolve("parent-ca.pem");
        keytool("-genkeypair", "-alias", "parent", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=parent-a",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                store.toString(), "-storepass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "parent", "-keystore", store.toString(), "-storepass", "changeit",
                "-file", caPem.toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        DaemonThreads.named("parent-mqtt-accept").newThread(this::accept).start();
    }

    private static void keytool(String... args) throws Exception {
        Path bin = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> cmd = new java.util.ArrayList<>(List.of(bin.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + out);
        }
    }

    /** @return the PEM file of the certificate to trust ({@code tls.ca}) */
    Path caPem() {
        return caPem;
    }

    /** @return the PKCS#12 key store of the server's certificate (password {@code changeit}) */
    Path keyStore() {
        return keyStore;
    }

    /** @return the URL a child's upstream uses, {@code ssl://localhost:<port>} */
    String url() {
        return "ssl://localhost:" + server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                DaemonThreads.named("parent-mqtt-session").newThread(() -> serve(s)).start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                int first = in.readUnsignedByte();
                int type = first >> 4;
                byte[] body = new byte[remainingLength(in)];
                in.readFully(body);
                DataInputStream b = new DataInputStream(new java.io.ByteArrayInputStream(body));
                if (type == 1) { // CONNECT
                    readString(b); // "MQTT"
                    b.readUnsignedByte(); // level
                    int flags = b.readUnsignedByte();
                    b.readUnsignedShort(); // keep-alive
                    String clientId = readString(b);
                    String user = (flags & 0x80) != 0 ? readString(b) : null;
                    String password = (flags & 0x40) != 0 ? readString(b) : null;
                    connects.add(new Connect(clientId, user, password, (flags & 0x02) != 0));
                    out.write(new byte[] {0x20, 0x02, 0x00, 0x00});
                } else if (type == 8) { // SUBSCRIBE: granted at QoS 1
                    int id = b.readUnsignedShort();
                    int count = 0;
                    while (b.available() > 0) {
                        subscriptions.add(readString(b));
                        b.readUnsignedByte();
                        count++;
                    }
                    out.write(new byte[] {(byte) 0x90, (byte) (2 + count), (byte) (id >> 8), (byte) id});
                    for (int i = 0; i < count; i++) {
                        out.write(1);
                    }
                } else if (type == 3) { // PUBLISH
                    published.add(readString(b));
                    if (((first >> 1) & 3) > 0) {
                        int id = b.readUnsignedShort();
                        out.write(new byte[] {0x40, 0x02, (byte) (id >> 8), (byte) id});
                    }
                } else if (type == 12) { // PINGREQ
                    out.write(new byte[] {(byte) 0xD0, 0x00});
                }
                out.flush();
            }
        } catch (IOException e) {
            // The client or the test closed the connection.
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] s = new byte[in.readUnsignedShort()];
        in.readFully(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static int remainingLength(InputStream in) throws IOException {
        int value = 0;
        int multiplier = 1;
        int b;
        do {
            b = in.read();
            if (b < 0) {
                throw new IOException("closed");
            }
            value += (b & 0x7F) * multiplier;
            multiplier *= 128;
        } while ((b & 0x80) != 0);
        return value;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
