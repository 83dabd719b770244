/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests.azure;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubMessageResult;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.ModuleClient;
import com.microsoft.azure.sdk.iot.device.twin.DirectMethodResponse;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;

/**
 * An IoT Edge module written with the unmodified Azure IoT device SDK for Java (2.5.0), run by the integration tests
 * as a process module of the gateway: it connects with {@code ModuleClient.createFromEnvironment()} (the workload API,
 * or {@code EdgeHubConnectionString} when that is set, as with IoT Edge's simulator), and then, by its
 * {@code SDK_MODULE_ROLE}:
 * <ul>
 * <li>{@code sender}: sends {@code SDK_MODULE_MESSAGES} messages (-1: until the direct method {@code stop}), one
 * every {@code SDK_MODULE_INTERVAL_MS}, on output {@code out1}, each with the application properties {@code run} (this
 * process's own id), {@code seq} and {@code site=plant 1}, JSON content type, and a message and correlation id; the
 * method {@code send} with {@code {"count": n}} sends n more;</li>
 * <li>{@code relay}: forwards what arrives on input {@code in1} to output {@code out2}, properties kept and
 * {@code relayedBy} added.</li>
 * </ul>
 * Each message's body repeats its run and sequence number. Both report every desired patch back ({@code seenVersion} and the patch's {@code interval}) and answer the direct
 * method {@code echo} with {@code {"echo": <payload>, "module": <id>}}. What it does is printed on standard output,
 * which the gateway keeps as the module's log ({@code edge:logs}); what the gateway acknowledged is also appended to
 * {@code SDK_MODULE_SENT_FILE} when that is set.
 */
public final class AzureSdkModule {

    private AzureSdkModule() {
    }

    public static void main(String[] args) throws Exception {
        String role = System.getenv().getOrDefault("SDK_MODULE_ROLE", "relay");
        String id = System.getenv("IOTEDGE_MODULEID");
        ModuleClient client = ModuleClient.createFromEnvironment(new JdkUnixDomainSocketChannel(),
                IotHubClientProtocol.MQTT);
        client.setConnectionStatusChangeCallback(
                context -> say("connection " + context.getNewStatus() + " " + context.getNewStatusReason()), null);
        if (!"sender".equals(role)) {
            // As an IoT Edge module does: the input callback is set before open, so no message arrives without one.
            client.setMessageCallback("in1", (message, context) -> {
                Message out = new Message(message.getBytes());
                out.setContentType(message.getContentType());
                out.setContentEncoding(message.getContentEncoding());
                out.setCorrelationId(message.getCorrelationId());
                for (var p : message.getProperties()) {
                    out.setProperty(p.getName(), p.getValue());
                }
                out.setProperty("relayedBy", id);
                try {
                    client.sendEvent(out, "out2");
                } catch (Exception e) {
                    say("not relayed: " + e);
                    return IotHubMessageResult.ABANDON;
                }
                say("relayed seq " + message.getProperty("seq"));
                return IotHubMessageResult.COMPLETE;
            }, null);
        }
        client.open(true);
        say("connected as " + id + " (" + role + ")");

        Sender sender = new Sender(client, id);
        client.subscribeToMethods((method, payload, context) -> {
            say("method " + method + " " + payload.getPayloadAsJsonString());
            switch (method) {
                case "echo":
                    return new DirectMethodResponse(200, Map.of("echo", payload.getPayloadAsJsonString(), "module",
                            id));
                case "send":
                    int more = Integer.parseInt(payload.getPayloadAsJsonString().replaceAll("[^0-9]", ""));
                    sender.start(more, 0);
                    return new DirectMethodResponse(200, Map.of("sending", more));
                case "stop":
                    return new DirectMethodResponse(200, Map.of("lastSent", sender.stop()));
                default:
                    return new DirectMethodResponse(404, null);
            }
        }, null);
        client.subscribeToDesiredProperties((twin, context) -> {
            TwinCollection desired = twin.getDesiredProperties();
            say("desired version " + desired.getVersion() + " " + desired);
            TwinCollection reported = new TwinCollection();
            reported.put("seenVersion", desired.getVersion());
            if (desired.containsKey("interval")) {
                reported.put("interval", desired.get("interval"));
            }
            client.updateReportedPropertiesAsync(reported, (status, response, e, ctx) -> say("reported " + status),
                    null);
        }, null);

        if ("sender".equals(role)) {
            sender.start(Integer.parseInt(System.getenv().getOrDefault("SDK_MODULE_MESSAGES", "20")),
                    Long.parseLong(System.getenv().getOrDefault("SDK_MODULE_INTERVAL_MS", "0")));
        }
        say("ready");
        new CountDownLatch(1).await();
    }

    /** Sends numbered messages on {@code out1}, one at a time, each once the gateway stored the one before. */
    private static final class Sender {
        private final ModuleClient client;
        private final String id;
        private final String run = Long.toString(ProcessHandle.current().pid()) + "-" + System.nanoTime();
        /** Sends and paces on one thread: a message is sent when the one before is acknowledged and the pause is over. */
        private final java.util.concurrent.ScheduledExecutorService thread = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor();
        private final java.util.concurrent.atomic.AtomicInteger seq = new java.util.concurrent.atomic.AtomicInteger();
        private volatile boolean stopped;

        Sender(ModuleClient client, String id) {
            this.client = client;
            this.id = id;
        }

        /** @param count how many (-1: until stopped) */
        void start(int count, long intervalMs) {
            say("run " + run);
            thread.execute(() -> send(count, intervalMs));
        }

        /** Sends the next message, then schedules the rest ({@code left}, -1 until stopped) {@code intervalMs} later. */
        private void send(int left, long intervalMs) {
            if (left == 0 || stopped) {
                return;
            }
            int i = seq.incrementAndGet();
            Message m = new Message(("{\"run\": \"" + run + "\", \"seq\": " + i + ", \"temperature\": "
                    + (20 + i % 7) + "}").getBytes(StandardCharsets.UTF_8));
            m.setContentType("application/json");
            m.setContentEncoding("utf-8");
            m.setMessageId(id + "-" + run + "-" + i);
            m.setCorrelationId("corr-" + i);
            m.setProperty("run", run);
            m.setProperty("seq", Integer.toString(i));
            m.setProperty("site", "plant 1");
            try {
                client.sendEvent(m, "out1");
                say("sent " + run + " " + i);
                journal(run + " " + i);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // Not acknowledged: the same number is sent again, so every number sent is acknowledged once.
                say("not sent " + i + ": " + e);
                seq.decrementAndGet();
                thread.execute(() -> send(left, intervalMs));
                return;
            }
            int rest = left < 0 ? -1 : left - 1;
            thread.schedule(() -> send(rest, intervalMs), intervalMs, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        /** @return the last number sent */
        int stop() {
            stopped = true;
            return seq.get();
        }
    }

    /** Appends a line to {@code SDK_MODULE_SENT_FILE} (when set): what the gateway acknowledged, for the test. */
    private static synchronized void journal(String line) {
        String file = System.getenv("SDK_MODULE_SENT_FILE");
        if (file == null) {
            return;
        }
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of(file), line + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            say("cannot write " + file + ": " + e);
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
