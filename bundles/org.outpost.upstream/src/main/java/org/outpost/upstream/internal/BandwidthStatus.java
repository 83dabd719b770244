/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** The bandwidth control's settings and counters as {@code edge:upstream} shows them (label to value). */
final class BandwidthStatus {

    private BandwidthStatus() {
    }

    static Map<String, Object> of(BandwidthSettings s, BandwidthCounters c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Batching", s.batch() ? "on: " + s.batchMaxMessages() + " messages, " + s.batchMaxBytes()
                + " bytes or " + s.batchLingerMs() + " ms" : "off");
        out.put("Compression", s.gzip() ? "gzip (payloads of " + s.compressMinBytes() + " bytes or more)" : "none");
        out.put("Rate limit", rate(s));
        out.put("Windows", s.windows().toString());
        out.put("Window", c.window());
        out.put("Next opening", c.nextOpening() == null ? "-" : c.nextOpening().toString());
        out.put("Publishes", c.publishes());
        out.put("Batches", c.batches());
        out.put("Messages published", c.messages());
        out.put("Bytes before compression", c.bytesBefore());
        out.put("Bytes on the wire", c.bytesOnWire());
        out.put("Rate limit wait (ms)", c.rateWaitMs());
        return out;
    }

    private static String rate(BandwidthSettings s) {
        if (s.messagesPerSecond() <= 0 && s.bytesPerSecond() <= 0) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        if (s.messagesPerSecond() > 0) {
            b.append(BandwidthSettings.rate(s.messagesPerSecond())).append(" msg/s (burst ")
                    .append(BandwidthSettings.rate(s.burstMessages())).append(")");
        }
        if (s.bytesPerSecond() > 0) {
            b.append(b.length() > 0 ? ", " : "").append(BandwidthSettings.rate(s.bytesPerSecond()))
                    .append(" B/s (burst ").append(BandwidthSettings.rate(s.burstBytes())).append(")");
        }
        return b.toString();
    }
}
