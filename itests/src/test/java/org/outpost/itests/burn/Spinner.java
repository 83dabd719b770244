/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests.burn;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.outpost.api.module.ModuleClient;

/**
 * The one component of the tiny test modules of {@code ModuleResourcesIT}: on activation it starts a thread from its
 * module's thread factory that spins (property {@code burn=true}: a core busy) or blocks until deactivated (an idle module).
 */
public class Spinner {

    private volatile boolean running = true;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile ModuleClient client;
    /** Keeps the spin loop from being optimised away. */
    public static volatile long sink;

    public void setClient(ModuleClient client) {
        this.client = client;
    }

    public void unsetClient(ModuleClient client) {
        // Static reference: the component is deactivated first.
    }

    public void activate(Map<String, Object> properties) {
        boolean burn = Boolean.parseBoolean(String.valueOf(properties.get("burn")));
        client.threadFactory().newThread(burn ? this::spin : this::idle).start();
    }

    public void deactivate() {
        running = false;
        stopped.countDown();
    }

    private void spin() {
        long x = 0;
        while (running) {
            x += System.nanoTime() % 7;
        }
        sink = x;
    }

    private void idle() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
