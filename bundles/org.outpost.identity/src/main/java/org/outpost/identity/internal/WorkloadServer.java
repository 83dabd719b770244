/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.outpost.commons.DaemonThreads;
import org.outpost.identity.internal.WorkloadHttp.Refused;
import org.outpost.identity.internal.WorkloadHttp.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workload API's unix sockets, one per module ({@link WorkloadSockets}), served by one thread with a selector:
 * no connection waits on another, so a slow or stuck client holds up nobody. A connection must deliver each request
 * whole within the timeout (from its opening, or from the answer before); otherwise it is answered 408 (or, idle,
 * closed). Answers follow the client's {@code Connection} header: the Azure IoT Java SDK sends
 * {@code Connection: close} and reads until the socket closes, others keep the connection for the next request.
 * Socket files are owner-only ({@link WorkloadFolder}); a module's socket is closed, its connections ended and its
 * file deleted when the module no longer has an identity.
 */
final class WorkloadServer implements AutoCloseable {

    /** Connections one module may hold open at once; more are answered 503 and closed. */
    static final int MAX_CONNECTIONS_PER_MODULE = 16;

    private static final Logger LOG = LoggerFactory.getLogger(WorkloadService.class);
    private static final long SELECT_MILLIS = 250;

    private final WorkloadFolder folder;
    private final WorkloadRequests requests;
    private final long timeoutNanos;
    private final Selector selector;
    private final ExecutorService loop = Executors.newSingleThreadExecutor(DaemonThreads.named("outpost-workload"));
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(8 * 1024);
    /** By module; the loop thread's own. */
    private final Map<String, Listener> listeners = new HashMap<>();
    private volatile boolean running = true;

    private record Listener(String module, Path path, ServerSocketChannel channel, Set<Connection> connections) {
    }

    private static final class Connection {
        final Listener listener;
        final SocketChannel channel;
        final WorkloadHttp.Reader reader = new WorkloadHttp.Reader();
        ByteBuffer out;
        /** Answered for the last time: the answer is written, then the output shut. */
        boolean closing;
        /** The output is shut: what the client still sends is read and dropped until it closes its end. */
        boolean draining;
        long deadline;

        Connection(Listener listener, SocketChannel channel, long deadline) {
            this.listener = listener;
            this.channel = channel;
            this.deadline = deadline;
        }
    }

    WorkloadServer(WorkloadSockets sockets, WorkloadRequests requests, Duration timeout) throws IOException {
        this.folder = new WorkloadFolder(sockets);
        this.requests = requests;
        this.timeoutNanos = timeout.toNanos();
        this.selector = Selector.open();
        loop.execute(this::run);
    }

    /**
     * Serves exactly the modules given: opens the sockets missing, closes and deletes the others. The modules are
     * asked for on the server's thread, in the order of the calls, so the last call always serves the last state. A
     * socket that cannot be opened is logged (with what to do) and tried again at the next call.
     *
     * @return done when the sockets are as asked
     */
    CompletableFuture<Void> serve(Supplier<Set<String>> modules) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new IllegalStateException("the workload API is stopped"));
            return done;
        }
        tasks.add(() -> {
            try {
                Set<String> wanted = Set.copyOf(modules.get());
                for (String module : new ArrayList<>(listeners.keySet())) {
                    if (!wanted.contains(module)) {
                        closeListener(listeners.remove(module));
                    }
                }
                if (!listeners.keySet().containsAll(wanted)) {
                    folder.prepare();
                    for (String module : wanted) {
                        if (!listeners.containsKey(module)) {
                            open(module);
                        }
                    }
                }
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Workload API: cannot serve the modules' sockets in {}: {}; no module can sign until this is"
                        + " fixed (tried again when a module is deployed or the gateway restarts)", folder.dir(),
                        e.getMessage());
                done.completeExceptionally(e);
            }
        });
        selector.wakeup();
        return done;
    }

    private void open(String module) {
        Path path = folder.socket(module);
        ServerSocketChannel channel = null;
        try {
            folder.removeStale(path);
            channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(UnixDomainSocketAddress.of(path));
            folder.ownerOnly(path);
            channel.configureBlocking(false);
            Listener listener = new Listener(module, path, channel, new HashSet<>());
            channel.register(selector, SelectionKey.OP_ACCEPT, listener);
            listeners.put(module, listener);
            LOG.info("Workload API: module {} is served at {}", module, path);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Workload API: cannot open the socket of module {} at {}: {}; the module cannot sign until this"
                    + " is fixed (tried again when a module is deployed or the gateway restarts)", module, path,
                    e.toString());
            closeQuietly(channel);
        }
    }

    private void closeListener(Listener listener) {
        closeQuietly(listener.channel());
        for (Connection c : List.copyOf(listener.connections())) {
            closeConnection(c);
        }
        folder.delete(listener.path());
        LOG.info("Workload API: module {} has no identity any more; its socket {} is closed", listener.module(),
                listener.path());
    }

    private void run() {
        try {
            while (running) {
                try {
                    selector.select(SELECT_MILLIS);
                    for (Runnable task; (task = tasks.poll()) != null;) {
                        task.run();
                    }
                    for (SelectionKey key : selector.selectedKeys()) {
                        handle(key);
                    }
                    selector.selectedKeys().clear();
                    expire();
                } catch (RuntimeException e) {
                    // One bad turn must not end the API for every module: log it, go on.
                    LOG.error("Workload API: unexpected failure, serving on: {}", e.toString(), e);
                    selector.selectedKeys().clear();
                }
            }
        } catch (IOException e) {
            LOG.error("Workload API: its selector failed, no module can sign until the gateway restarts: {}",
                    e.toString(), e);
        } finally {
            for (Listener listener : listeners.values()) {
                closeListener(listener);
            }
            listeners.clear();
            closeQuietly(selector);
        }
    }

    private void handle(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.attachment() instanceof Listener listener) {
            if (key.isAcceptable()) {
                accept(listener);
            }
            return;
        }
        Connection c = (Connection) key.attachment();
        try {
            if (key.isReadable()) {
                read(c);
            }
            if (key.isValid() && key.isWritable()) {
                flush(c);
            }
        } catch (IOException e) {
            LOG.debug("Workload API: connection of module {} ended: {}", c.listener.module(), e.toString());
            closeConnection(c);
        } catch (RuntimeException e) {
            LOG.warn("Workload API: a request of module {} failed: {}", c.listener.module(), e.toString(), e);
            closeConnection(c);
        }
    }

    private void accept(Listener listener) {
        SocketChannel channel = null;
        try {
            channel = listener.channel().accept();
            if (channel == null) {
                return;
            }
            channel.configureBlocking(false);
            if (listener.connections().size() >= MAX_CONNECTIONS_PER_MODULE) {
                channel.write(ByteBuffer.wrap(requests.refuse(listener.module(), 503, "module '" + listener.module()
                        + "' holds " + MAX_CONNECTIONS_PER_MODULE + " connections open already; close some")
                        .bytes(false)));
                channel.close();
                return;
            }
            Connection c = new Connection(listener, channel, System.nanoTime() + timeoutNanos);
            channel.register(selector, SelectionKey.OP_READ, c);
            listener.connections().add(c);
        } catch (IOException e) {
            LOG.debug("Workload API: cannot accept a connection of module {}: {}", listener.module(), e.toString());
            closeQuietly(channel);
        }
    }

    private void read(Connection c) throws IOException {
        readBuffer.clear();
        int n = c.channel.read(readBuffer);
        if (n < 0) {
            if (c.out == null || c.draining) {
                closeConnection(c);
            } else {
                c.closing = true;
            }
            return;
        }
        readBuffer.flip();
        if (c.closing) {
            return; // what follows a request answered with close is dropped
        }
        String module = c.listener.module();
        try {
            c.reader.feed(readBuffer);
            for (Request r; !c.closing && (r = c.reader.next()) != null;) {
                send(c, requests.handle(module, r).bytes(r.keepAlive()), !r.keepAlive());
                c.deadline = System.nanoTime() + timeoutNanos;
            }
        } catch (Refused e) {
            send(c, requests.refuse(module, e.status(), e.getMessage()).bytes(false), true);
        }
        flush(c);
    }

    private static void send(Connection c, byte[] bytes, boolean close) {
        if (c.out == null || !c.out.hasRemaining()) {
            c.out = ByteBuffer.wrap(bytes);
        } else {
            ByteBuffer joined = ByteBuffer.allocate(c.out.remaining() + bytes.length);
            c.out = joined.put(c.out).put(bytes).flip();
        }
        c.closing |= close;
    }

    private void flush(Connection c) throws IOException {
        if (c.out != null) {
            c.channel.write(c.out);
            if (c.out.hasRemaining()) {
                c.channel.keyFor(selector).interestOps(SelectionKey.OP_WRITE);
                return;
            }
            c.out = null;
        }
        if (c.closing && !c.draining) {
            // Closing with bytes of the client unread would reset the connection, and a client reading to the end
            // (the Java SDK) would see an error after the answer: shut the output, drop the rest, close on its end.
            c.channel.shutdownOutput();
            c.draining = true;
            c.deadline = System.nanoTime() + timeoutNanos;
        }
        c.channel.keyFor(selector).interestOps(SelectionKey.OP_READ);
    }

    private void expire() {
        long now = System.nanoTime();
        for (Listener listener : listeners.values()) {
            for (Connection c : List.copyOf(listener.connections())) {
                if (now - c.deadline < 0) {
                    continue;
                }
                if (c.reader.hasPartial() && c.out == null && !c.closing) {
                    try {
                        c.channel.write(ByteBuffer.wrap(requests.refuse(listener.module(), 408, "the request did not"
                                + " arrive whole within " + Duration.ofNanos(timeoutNanos).toSeconds() + " s")
                                .bytes(false)));
                    } catch (IOException e) {
                        LOG.debug("Workload API: cannot answer 408 to module {}: {}", listener.module(), e.toString());
                    }
                }
                closeConnection(c);
            }
        }
    }

    private void closeConnection(Connection c) {
        c.listener.connections().remove(c);
        closeQuietly(c.channel);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("Workload API: closing {} failed: {}", closeable, e.toString());
            }
        }
    }

    /** Closes every socket (deleting its file) and stops the thread. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        loop.shutdown();
        try {
            if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Workload API: its thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
