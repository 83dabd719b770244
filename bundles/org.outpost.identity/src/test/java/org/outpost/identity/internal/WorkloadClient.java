/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A raw HTTP client over a unix socket, to see exactly what the workload API writes. */
final class WorkloadClient implements AutoCloseable {

    /** An answer as read from the socket. */
    record Answer(String statusLine, int status, Map<String, String> headers, String body) {
    }

    private final SocketChannel channel;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    WorkloadClient(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
    }

    /** Writes one request and reads until the socket closes, as the Azure IoT Java SDK does. */
    static Answer exchange(Path socket, String request) throws IOException {
        try (WorkloadClient client = new WorkloadClient(socket)) {
            client.write(request);
            String all = client.readToEnd();
            return parse(all);
        }
    }

    void write(String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** @return everything until the server closes the connection */
    String readToEnd() throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (channel.read(buf.clear()) >= 0) {
            pending.write(buf.array(), 0, buf.position());
        }
        String all = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        return all;
    }

    /** @return the next answer, read by its Content-Length, leaving the connection open */
    Answer readAnswer() throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (true) {
            String text = pending.toString(StandardCharsets.UTF_8);
            int headEnd = text.indexOf("\r\n\r\n");
            if (headEnd >= 0) {
                Answer head = parse(text.substring(0, headEnd + 4));
                int length = Integer.parseInt(head.headers().get("content-length"));
                byte[] bytes = pending.toByteArray();
                int end = text.substring(0, headEnd + 4).getBytes(StandardCharsets.UTF_8).length + length;
                if (bytes.length >= end) {
                    pending.reset();
                    pending.write(bytes, end, bytes.length - end);
                    return parse(new String(bytes, 0, end, StandardCharsets.UTF_8));
                }
            }
            if (channel.read(buf.clear()) < 0) {
                throw new IOException("closed before a whole answer: " + text);
            }
            pending.write(buf.array(), 0, buf.position());
        }
    }

    /** @return whether the server has closed the connection (nothing more to read) */
    boolean closedByServer() throws IOException {
        try {
            return channel.read(ByteBuffer.allocate(1)) < 0;
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("reset")) {
                return true; // closed before it was accepted
            }
            throw e;
        }
    }

    static Answer parse(String all) {
        int headEnd = all.indexOf("\r\n\r\n");
        String[] lines = all.substring(0, headEnd).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        return new Answer(lines[0], Integer.parseInt(lines[0].split(" ")[1]), headers, all.substring(headEnd + 4));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
