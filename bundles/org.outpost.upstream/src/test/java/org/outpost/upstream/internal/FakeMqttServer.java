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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.outpost.commons.DaemonThreads;

/**
 * Just enough of an MQTT server for the link: it accepts every CONNECT with a CONNACK, ignores what follows, and can
 * drop its connections, as a cloud that goes away would.
 */
final class FakeMqttServer implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();

    FakeMqttServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        DaemonThreads.named("fake-mqtt-accept").newThread(this::accept).start();
    }

    String url() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.add(s);
                DaemonThreads.named("fake-mqtt-session").newThread(() -> serve(s)).start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void serve(Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                int type = in.readUnsignedByte() >> 4;
                in.readFully(new byte[remainingLength(in)]);
                if (type == 1) { // CONNECT: accepted, no session present
                    out.write(new byte[] {0x20, 0x02, 0x00, 0x00});
                    out.flush();
                } else if (type == 12) { // PINGREQ
                    out.write(new byte[] {(byte) 0xD0, 0x00});
                    out.flush();
                }
            }
        } catch (IOException e) {
            // The client or the test closed the connection.
        }
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

    /** Drops every connection, as a cloud that goes away would. */
    void dropConnections() throws IOException {
        for (Socket s : connections) {
            s.close();
        }
        connections.clear();
    }

    @Override
    public void close() throws IOException {
        server.close();
        dropConnections();
    }
}
