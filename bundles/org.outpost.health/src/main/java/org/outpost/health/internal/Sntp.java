/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.health.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** A simple SNTP client (RFC 4330): the local clock's offset from an NTP server, from one request. */
final class Sntp {

    /** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
    static final long EPOCH_OFFSET = 2_208_988_800L;
    static final int PACKET = 48;

    private Sntp() {
    }

    /**
     * @param server host or host:port (123 by default)
     * @param timeout how long to wait for the answer
     * @return how far the server's clock is ahead of the local clock (negative: the local clock is ahead)
     * @throws IOException when the server does not answer in time or the answer is not an NTP server's
     */
    static Duration offset(String server, Duration timeout, Clock clock) throws IOException {
        String host = server.strip();
        int port = 123;
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(':') == colon) {
            port = Integer.parseInt(host.substring(colon + 1));
            host = host.substring(0, colon);
        }
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            byte[] request = new byte[PACKET];
            request[0] = 0x1B; // leap indicator 0, version 3, mode 3 (client)
            Instant t1 = clock.instant();
            ByteBuffer.wrap(request).putLong(40, toNtp(t1));
            socket.send(new DatagramPacket(request, PACKET, new InetSocketAddress(host, port)));
            byte[] answer = new byte[PACKET];
            DatagramPacket packet = new DatagramPacket(answer, PACKET);
            socket.receive(packet);
            Instant t4 = clock.instant();
            ByteBuffer b = ByteBuffer.wrap(answer);
            int mode = answer[0] & 0x7;
            if (packet.getLength() < PACKET || (mode != 4 && mode != 5) || b.getLong(40) == 0) {
                throw new IOException(server + " did not answer as an NTP server");
            }
            Instant t2 = fromNtp(b.getLong(32));
            Instant t3 = fromNtp(b.getLong(40));
            long nanos = (Duration.between(t1, t2).toNanos() + Duration.between(t4, t3).toNanos()) / 2;
            return Duration.ofNanos(nanos);
        }
    }

    static long toNtp(Instant t) {
        long seconds = t.getEpochSecond() + EPOCH_OFFSET;
        long fraction = ((long) t.getNano() << 32) / 1_000_000_000L;
        return seconds << 32 | fraction;
    }

    static Instant fromNtp(long ntp) {
        long seconds = (ntp >>> 32) - EPOCH_OFFSET;
        long nanos = ((ntp & 0xFFFF_FFFFL) * 1_000_000_000L) >>> 32;
        return Instant.ofEpochSecond(seconds, nanos);
    }
}
