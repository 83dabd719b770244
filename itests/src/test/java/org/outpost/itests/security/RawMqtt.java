/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests.security;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.outpost.protocol.SasToken;

/**
 * An MQTT 3.1.1 client on a plain socket that writes exactly the bytes a test asks for, well-formed or not, and reads
 * the server's packets one at a time: what an attacker would use, and what no client library lets a test do.
 */
public final class RawMqtt implements AutoCloseable {

    /** The host name the hub signs for, as the IoT Hub endpoint expects it in user names and token resources. */
    public static final String HUB = "outpost-hub.local";

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    /** Seen closed by the server. */
    private boolean closed;
    /** The packet id (the first two bytes) of the last packet read. */
    private int packetId;
    /** The body of the last packet read. */
    private byte[] lastBody = new byte[0];

    private RawMqtt(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Opens a TCP connection to 127.0.0.1:{@code port}, from {@code 127.0.0.1}, sending nothing yet. */
    public static RawMqtt open(int port) throws IOException {
        return open(port, "127.0.0.1");
    }

    /** Opens a TCP connection to 127.0.0.1:{@code port} from a local address of the loopback net (127.x.y.z). */
    public static RawMqtt open(int port, String from) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        s.setSoTimeout(10_000);
        return new RawMqtt(s);
    }

    /** Opens a TLS connection to localhost:{@code port}, trusting what {@code context} trusts. */
    public static RawMqtt openTls(int port, javax.net.ssl.SSLContext context) throws IOException {
        javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        javax.net.ssl.SSLParameters parameters = s.getSSLParameters();
        parameters.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName("localhost")));
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(parameters);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return new RawMqtt(s);
    }

    /** A SAS token of a device, signed with {@code key}, valid for an hour. */
    public static String deviceToken(String device, String key) {
        return SasToken.create(HUB + "/devices/" + device, key, Instant.now().plus(Duration.ofHours(1)));
    }

    /** The user name an Azure SDK device sends. */
    public static String deviceUser(String device) {
        return HUB + "/" + device + "/?api-version=2021-04-12";
    }

    /**
     * Sends CONNECT and reads the CONNACK.
     *
     * @return the CONNACK's return code (0 accepted, 5 not authorised, ...), or -1 when the server closed instead
     */
    public int connect(String clientId, String user, String password) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT");
        body.write(4);
        body.write(0x80 | 0x40 | 0x02);
        body.write(0);
        body.write(60);
        string(body, clientId);
        string(body, user);
        string(body, password);
        try {
            send(0x10, body.toByteArray());
        } catch (java.net.SocketException e) {
            // Reset by the server before the CONNECT could be written.
            return -1;
        }
        int[] connack = readPacket();
        if (connack == null) {
            return -1;
        }
        if (connack[0] != 0x20) {
            throw new IOException("expected CONNACK, got packet type 0x" + Integer.toHexString(connack[0]));
        }
        return connack[2];
    }

    /** Sends PINGREQ and waits for PINGRESP: true when the server answered, false when it closed the connection. */
    public boolean ping() throws IOException {
        send(0xC0, new byte[0]);
        while (true) {
            int[] p = readPacket();
            if (p == null) {
                return false;
            }
            if (p[0] == 0xD0) {
                return true;
            }
        }
    }

    /** Sends a QoS 1 PUBLISH with a declared body of {@code size} bytes (all sent). */
    public void publish(String topic, int id, byte[] payload) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, topic);
        body.write(id >> 8);
        body.write(id & 0xFF);
        body.write(payload);
        send(0x32, body.toByteArray());
    }

    /**
     * Sends a QoS 1 PUBLISH and waits for its PUBACK.
     *
     * @return true when it was acknowledged, false when the server closed the connection instead (or did not answer
     *         within ten seconds)
     */
    public boolean publishAcknowledged(String topic, int id, byte[] payload) throws IOException {
        try {
            publish(topic, id, payload);
            while (true) {
                int[] p = readPacket();
                if (p == null) {
                    return false;
                }
                if (p[0] == 0x40 && p[2] >= 0 && packetId == id) {
                    return true;
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            return false;
        }
    }

    /**
     * Sends SUBSCRIBE for one filter at QoS 1 and reads the SUBACK.
     *
     * @return the SUBACK's return code (0 or 1 granted, 0x80 refused), or -1 when the server closed the connection
     *         instead
     */
    public int subscribe(String filter, int id) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(id >> 8);
        body.write(id & 0xFF);
        string(body, filter);
        body.write(1);
        try {
            send(0x82, body.toByteArray());
            while (true) {
                int[] p = readPacket();
                if (p == null) {
                    return -1;
                }
                if (p[0] == 0x90 && packetId == id) {
                    return lastBody[2] & 0xFF;
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            return -1;
        }
    }

    /** Writes bytes as they are. */
    public void raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Waits for the server to close the connection, discarding what it sends meanwhile.
     *
     * @return true when it closed within {@code timeout}, false when it was still open
     */
    public boolean closedWithin(Duration timeout) throws IOException {
        if (closed) {
            return true;
        }
        long end = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < end) {
                socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(end - System.nanoTime()).toMillis()));
                if (in.read() < 0) {
                    closed = true;
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            // Reset by the server: closed as well.
            closed = true;
            return true;
        }
    }

    /** @return the packet's first byte, its remaining length and, for CONNACK, the return code; null at the end */
    private int[] readPacket() throws IOException {
        try {
            int type = in.readUnsignedByte();
            int length = 0;
            int shift = 0;
            int b;
            do {
                b = in.readUnsignedByte();
                length |= (b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            byte[] body = new byte[length];
            in.readFully(body);
            lastBody = body;
            packetId = length >= 2 ? (body[0] & 0xFF) << 8 | (body[1] & 0xFF) : -1;
            return new int[] {type, length, length >= 2 ? body[1] & 0xFF : -1};
        } catch (EOFException e) {
            return null;
        } catch (IOException e) {
            if (socket.isClosed() || "Connection reset".equals(e.getMessage())) {
                return null;
            }
            throw e;
        }
    }

    private void send(int header, byte[] body) throws IOException {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(header);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            packet.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        packet.write(body);
        out.write(packet.toByteArray());
        out.flush();
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xFF);
        out.writeBytes(bytes);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
