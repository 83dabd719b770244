/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.outpost.api.health.CheckResult;
import org.outpost.api.health.CheckResult.Level;

/** The clock check against a fake NTP server on a real UDP socket whose clock is off by a chosen amount. */
class SntpTest {

    private DatagramSocket server;
    private Thread serving;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Answers one request as an NTP server whose clock is {@code skew} ahead of ours. */
    private String serve(Duration skew) throws Exception {
        server = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        serving = new Thread(() -> {
            try {
                byte[] buf = new byte[48];
                DatagramPacket request = new DatagramPacket(buf, 48);
                server.receive(request);
                long originate = ByteBuffer.wrap(buf).getLong(40);
                byte[] answer = new byte[48];
                answer[0] = 0x1C; // version 3, mode 4 (server)
                ByteBuffer b = ByteBuffer.wrap(answer);
                b.putLong(24, originate);
                b.putLong(32, Sntp.toNtp(Instant.now().plus(skew)));
                b.putLong(40, Sntp.toNtp(Instant.now().plus(skew)));
                server.send(new DatagramPacket(answer, 48, request.getSocketAddress()));
            } catch (java.io.IOException closed) {
                // the test is over
            }
        });
        serving.start();
        return "127.0.0.1:" + server.getLocalPort();
    }

    @Test
    void ntpTimestampsRoundTrip() {
        Instant t = Instant.parse("2026-12-05T10:20:30.123456Z");
        assertThat(Duration.between(t, Sntp.fromNtp(Sntp.toNtp(t))).abs()).isLessThan(Duration.ofNanos(2));
    }

    @Test
    void aClockCloseToTheServersIsOk() throws Exception {
        CheckResult r = new ClockCheck(serve(Duration.ofMillis(200)), Duration.ofSeconds(10), Duration.ofSeconds(300),
                Clock.systemUTC()).run();

        assertThat(r.level()).isEqualTo(Level.OK);
        assertThat(r.detail()).matches("the clock is 0\\.[0-9]{3} s behind 127\\.0\\.0\\.1:[0-9]+");
    }

    @Test
    void aClockOffByAMinuteWarnsAndOneOffByAnHourIsCritical() throws Exception {
        CheckResult minute = new ClockCheck(serve(Duration.ofSeconds(-60)), Duration.ofSeconds(10),
                Duration.ofSeconds(300), Clock.systemUTC()).run();
        assertThat(minute.level()).isEqualTo(Level.WARN);
        assertThat(minute.detail())
                .matches("the clock is (59\\.9|60\\.0)[0-9]{2} s ahead of 127\\.0\\.0\\.1:[0-9]+");
        assertThat(minute.action()).contains("NTP client");
        server.close();

        CheckResult hour = new ClockCheck(serve(Duration.ofHours(1)), Duration.ofSeconds(10), Duration.ofSeconds(300),
                Clock.systemUTC()).run();
        assertThat(hour.level()).isEqualTo(Level.CRITICAL);
        assertThat(hour.detail()).matches("the clock is (3599\\.9|3600\\.0)[0-9]{2} s behind .*");
    }

    @Test
    void aServerThatDoesNotAnswerIsAWarningNamingIt() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            CheckResult r = new ClockCheck("127.0.0.1:" + silent.getLocalPort(), Duration.ofSeconds(10),
                    Duration.ofSeconds(300), Clock.systemUTC()).run();

            assertThat(r.level()).isEqualTo(Level.WARN);
            assertThat(r.detail()).startsWith("cannot ask the NTP server 127.0.0.1:" + silent.getLocalPort()
                    + " for the time");
        }
    }

    @Test
    void withoutAServerAClockInThePastIsCriticalAndANormalOneOk() {
        Clock past = Clock.fixed(Instant.parse("2020-01-01T00:00:00Z"), java.time.ZoneOffset.UTC);
        assertThat(new ClockCheck("", Duration.ofSeconds(10), Duration.ofSeconds(300), past).run().level())
                .isEqualTo(Level.CRITICAL);
        assertThat(new ClockCheck("", Duration.ofSeconds(10), Duration.ofSeconds(300), Clock.systemUTC()).run()
                .detail()).contains("not measured: set ntp.server");
    }
}
