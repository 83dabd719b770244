/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks.bandwidth;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.outpost.api.message.Message;
import org.outpost.protocol.PropertyBag;
import org.outpost.protocol.TelemetryPacking;
import org.outpost.protocol.TelemetryTopic;

/**
 * Bytes on the wire and publishes per 10,000 readings, plain, batched, gzip-compressed and both, as the gateway's
 * upstream publishes them (the IoT Hub topic with its property bag, QoS 1, the wire format of
 * {@link TelemetryPacking}), against a real Mosquitto ({@code /usr/sbin/mosquitto} on a random loopback port) behind
 * a TCP proxy that counts every byte the client sends (MQTT framing, topics, payloads). Each run is reported as a
 * ratio against the plain run of the same process. Options: {@code -Dbench.readings=10000 -Dbench.batch=100
 * -Dbench.mosquitto=/usr/sbin/mosquitto}.
 */
public final class BandwidthBenchmark {

    private static final int COMPRESS_MIN_BYTES = 128;

    private BandwidthBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int readings = Integer.getInteger("bench.readings", 10_000);
        int batch = Integer.getInteger("bench.batch", 100);
        List<Message> messages = readings(readings);
        Path dir = Files.createTempDirectory("outpost-bandwidth");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("mosquitto.conf"), "listener " + port + " 127.0.0.1\nallow_anonymous true\n"
                + "max_inflight_messages 0\nmax_queued_messages 0\n");
        Process mosquitto = new ProcessBuilder(System.getProperty("bench.mosquitto", "/usr/sbin/mosquitto"), "-c",
                dir.resolve("mosquitto.conf").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        try {
            awaitPort(port);
            long[] plain = run(port, messages, 1, false);
            long[] batched = run(port, messages, batch, false);
            long[] gzip = run(port, messages, 1, true);
            long[] both = run(port, messages, batch, true);
            System.out.printf(Locale.ROOT, "Bandwidth per %,d readings (batches of %d, gzip from %d bytes)%n",
                    readings, batch, COMPRESS_MIN_BYTES);
            System.out.printf(Locale.ROOT, "%-10s %14s %10s %12s %10s%n", "run", "bytes on wire", "x plain",
                    "publishes", "x plain");
            print("plain", plain, plain);
            print("batching", batched, plain);
            print("gzip", gzip, plain);
            print("both", both, plain);
        } finally {
            mosquitto.destroy();
            mosquitto.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static void print(String name, long[] r, long[] plain) {
        System.out.printf(Locale.ROOT, "%-10s %,14d %10.3f %,12d %10.3f%n", name, r[0], (double) r[0] / plain[0],
                r[1], (double) r[1] / plain[1]);
    }

    /** Sensor readings as a module sends them: JSON, with an output, a message id, a content type and a time. */
    static List<Message> readings(int n) {
        List<Message> out = new ArrayList<>(n);
        Instant t0 = Instant.parse("2026-12-05T06:00:00Z");
        for (int i = 0; i < n; i++) {
            String body = String.format(Locale.ROOT, "{\"machine\":{\"temperature\":%.2f,\"pressure\":%.3f},"
                    + "\"ambient\":{\"temperature\":%.2f,\"humidity\":%d},\"timeCreated\":\"%s\"}",
                    20 + (i % 700) / 100.0, 1 + (i % 37) / 100.0, 21 + (i % 50) / 10.0, 24 + i % 10,
                    t0.plusMillis(i * 100L));
            out.add(Message.builder().body(body).messageId("m-" + i).contentType("application/json")
                    .creationTimeUtc(t0.plusMillis(i * 100L)).connectionDeviceId("gw1").connectionModuleId("sensor")
                    .outputName("temperature").property("site", "plant-7").build());
        }
        return out;
    }

    /** @return bytes the client sent and publishes, for the readings published in batches of {@code batch} */
    private static long[] run(int brokerPort, List<Message> messages, int batch, boolean gzip) throws Exception {
        AtomicLong bytes = new AtomicLong();
        try (ServerSocket proxy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> forward(proxy, brokerPort, bytes), "bandwidth-proxy");
            t.setDaemon(true);
            t.start();
            MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + proxy.getLocalPort(), "gw1",
                    new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setMaxInflight(1000);
            o.setCleanSession(true);
            client.connect(o).waitForCompletion(10_000);
            long publishes = 0;
            List<IMqttToken> tokens = new ArrayList<>();
            for (int i = 0; i < messages.size(); i += batch) {
                List<Message> part = messages.subList(i, Math.min(messages.size(), i + batch));
                Message first = part.get(0);
                Map<String, String> bag;
                byte[] payload;
                if (part.size() == 1) {
                    bag = PropertyBag.of(first);
                    payload = first.body();
                } else {
                    bag = TelemetryPacking.batchProperties(PropertyBag.of(first), part.size());
                    List<TelemetryPacking.Item> items = new ArrayList<>();
                    for (Message m : part) {
                        Map<String, String> b = PropertyBag.of(m);
                        b.remove(PropertyBag.CONNECTION_DEVICE_ID);
                        b.remove(PropertyBag.CONNECTION_MODULE_ID);
                        items.add(new TelemetryPacking.Item(b, m.body()));
                    }
                    payload = TelemetryPacking.batch(items);
                }
                if (gzip && payload.length >= COMPRESS_MIN_BYTES) {
                    byte[] z = TelemetryPacking.gzip(payload);
                    if (z.length + 40 < payload.length) { // as the upstream: only if it saves more than the markers
                        payload = z;
                        bag = TelemetryPacking.gzipProperties(bag);
                    }
                }
                MqttMessage mqtt = new MqttMessage(payload);
                mqtt.setQos(1);
                tokens.add(client.publish(new TelemetryTopic("gw1", "sensor", bag).format(), mqtt));
                publishes++;
                if (tokens.size() >= 900) {
                    tokens.get(0).waitForCompletion(10_000);
                    tokens.remove(0);
                }
            }
            for (IMqttToken token : tokens) {
                token.waitForCompletion(10_000);
            }
            client.disconnect().waitForCompletion(5000);
            client.close();
            t.join(5000);
            return new long[] {bytes.get(), publishes};
        }
    }

    /** Accepts one connection and copies it both ways, counting what the client sends. */
    private static void forward(ServerSocket proxy, int brokerPort, AtomicLong counted) {
        try (Socket client = proxy.accept();
                Socket broker = new Socket(InetAddress.getLoopbackAddress(), brokerPort)) {
            Thread back = new Thread(() -> copy(broker, client, new AtomicLong()), "bandwidth-proxy-back");
            back.setDaemon(true);
            back.start();
            copy(client, broker, counted);
            back.join(5000);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("the counting proxy failed", e);
        }
    }

    private static void copy(Socket from, Socket to, AtomicLong counted) {
        byte[] buf = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                counted.addAndGet(n);
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // The other side closed.
        }
    }

    private static void awaitPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("mosquitto did not listen on port " + port);
    }
}
