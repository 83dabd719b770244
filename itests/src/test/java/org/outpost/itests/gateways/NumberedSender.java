/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests.gateways;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.Message;

/**
 * A leaf device that keeps sending numbered telemetry ({@code {"sender": "<label>", "seq": n}}, property
 * {@code seq}) with the SDK, one message at a time, every {@code intervalMs}: a message counts as sent when the SDK's
 * {@code sendEvent} returned (the gateway acknowledged it); one that failed is sent again with the same number,
 * so the numbers the gateway acknowledged are 1..n without gaps. The client can be swapped (a reconnecting leaf).
 */
final class NumberedSender implements AutoCloseable {

    private final String label;
    private final ScheduledExecutorService timer;
    private final List<Integer> acknowledged = new CopyOnWriteArrayList<>();
    private volatile DeviceClient client;
    private volatile String lastError = "";
    private int next = 1;

    NumberedSender(String label, DeviceClient client, long intervalMs) {
        this.label = label;
        this.client = client;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "leaf-sender-" + label);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::sendOne, 0, intervalMs, TimeUnit.MILLISECONDS);
    }

    private void sendOne() {
        DeviceClient c = client;
        if (c == null) {
            return;
        }
        try {
            Message m = new Message("{\"sender\": \"" + label + "\", \"seq\": " + next + "}");
            m.setContentType("application/json");
            m.setContentEncoding("utf-8");
            m.setProperty("seq", Integer.toString(next));
            c.sendEvent(m, 30_000);
            acknowledged.add(next);
            next++;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Not acknowledged: the same number again at the next tick.
            lastError = e.toString();
        }
    }

    /** Sends with another client from the next message on (null: pause). */
    void use(DeviceClient other) {
        client = other;
    }

    /** @return the numbers the gateway acknowledged, in order */
    List<Integer> acknowledged() {
        return List.copyOf(acknowledged);
    }

    /** @return the last number acknowledged, 0 before the first */
    int last() {
        List<Integer> a = acknowledged();
        return a.isEmpty() ? 0 : a.get(a.size() - 1);
    }

    /** @return the last send's failure, for failure messages */
    String lastError() {
        return lastError;
    }

    /** Stops sending (waiting for a send under way). */
    @Override
    public void close() throws InterruptedException {
        timer.shutdown();
        if (!timer.awaitTermination(40, TimeUnit.SECONDS)) {
            timer.shutdownNow();
        }
    }
}
