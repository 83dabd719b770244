/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.component;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.outpost.api.message.Message;
import org.outpost.api.module.ModuleClient;
import org.outpost.api.module.SendException;

/** A module client that keeps what it is sent; {@link #failing} makes sends fail as the gateway's do. */
public final class FakeModuleClient implements ModuleClient {

    /** An output and a message sent to it. */
    public record Sent(String output, Message message) {
    }

    public final List<Sent> sent = new CopyOnWriteArrayList<>();
    public final List<Thread> threads = new CopyOnWriteArrayList<>();
    public volatile boolean failing;
    /** While set, sendAsync keeps its stages incomplete until {@link #release()}, as a slow journal would. */
    public volatile boolean holding;
    private final List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();
    private final String module;
    private final AtomicInteger threadCount = new AtomicInteger();

    public FakeModuleClient(String module) {
        this.module = module;
    }

    @Override
    public String moduleId() {
        return module;
    }

    @Override
    public String deviceId() {
        return "test-device";
    }

    @Override
    public void send(String output, Message message) throws SendException {
        if (failing) {
            throw new SendException("the gateway broker did not store the message: full");
        }
        sent.add(new Sent(output, message));
    }

    @Override
    public CompletionStage<Void> sendAsync(String output, Message message) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (failing) {
            f.completeExceptionally(new SendException("the gateway broker did not store the message: full"));
            return f;
        }
        // kept in the order sent, as the gateway's producer stores them; completes in another thread, as the
        // broker's callback does
        sent.add(new Sent(output, message));
        if (holding) {
            held.add(f);
        } else {
            CompletableFuture.runAsync(() -> f.complete(null));
        }
        return f;
    }

    /** Completes the sends held so far, in the order sent, and stops holding. */
    public void release() {
        holding = false;
        held.forEach(f -> f.complete(null));
        held.clear();
    }

    @Override
    public ThreadFactory threadFactory() {
        return r -> {
            Thread t = new Thread(r, "outpost-" + module + "-" + threadCount.incrementAndGet());
            t.setDaemon(true);
            threads.add(t);
            return t;
        };
    }

    public List<String> bodies(String output) {
        return sent.stream().filter(s -> s.output().equals(output)).map(s -> s.message().bodyAsString()).toList();
    }
}
