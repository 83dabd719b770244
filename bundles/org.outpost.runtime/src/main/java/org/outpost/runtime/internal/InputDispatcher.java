/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.outpost.api.message.Message;
import org.outpost.api.metrics.Metrics;
import org.outpost.api.module.AsyncInputHandler;
import org.outpost.api.module.EdgeModule;
import org.outpost.api.module.InputHandler;
import org.outpost.api.module.ModuleNames;
import org.outpost.broker.api.Broker;
import org.outpost.commons.DaemonThreads;
import org.outpost.routing.api.MessageHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link InputHandler} and {@link AsyncInputHandler} whiteboard: for each handler, one thread takes the messages of
 * its input queue in order and hands each to the handler; a message is acknowledged only when the handler is done with
 * it (returned, or its stage completed). An {@code InputHandler} has one message at a time; an
 * {@code AsyncInputHandler} up to its {@value AsyncInputHandler#IN_FLIGHT}. A handler that fails gets the same message
 * again after a pause, once what it had in flight is settled. Deliveries are counted as {@code messages_sent_total}
 * and timed as {@code message_send_duration_seconds} (from hand-over to done).
 */
@Component(service = InputDispatcher.class)
public final class InputDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(InputDispatcher.class);
    private static final long RETRY_DELAY_MS = 1000;
    /** How long a stopping or failing loop waits for what it has in flight before giving it back to the queue. */
    private static final long SETTLE_MS = 5_000;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final ModuleCounters counters;
    private final Metrics metrics;
    private final ModuleAccounting accounting;
    private final ServerLocator locator;
    private final ClientSessionFactory factory;
    private final ExecutorService executor = Executors.newCachedThreadPool(DaemonThreads.named("outpost-input"));
    private final Map<ServiceReference<?>, InputLoop> loops = new ConcurrentHashMap<>();

    @Activate
    public InputDispatcher(@Reference Broker broker, @Reference ModuleCounters counters, @Reference Metrics metrics,
            @Reference ModuleAccounting accounting) throws Exception {
        this.accounting = accounting;
        this.counters = counters;
        this.metrics = metrics;
        // One message at a time: a higher-priority message overtakes what waits in the queue.
        this.locator = broker.createLocator().setConsumerWindowSize(0);
        this.factory = locator.createSessionFactory();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        loops.values().forEach(InputLoop::stop);
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        factory.close();
        locator.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindInputHandler(ServiceReference<InputHandler> ref, InputHandler handler) {
        bind(ref, handler.getClass(), async(handler), 1);
    }

    void unbindInputHandler(ServiceReference<InputHandler> ref) {
        unbind(ref);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindAsyncInputHandler(ServiceReference<AsyncInputHandler> ref, AsyncInputHandler handler) {
        Object limit = ref.getProperty(AsyncInputHandler.IN_FLIGHT);
        int inFlight;
        try {
            inFlight = limit == null ? AsyncInputHandler.DEFAULT_IN_FLIGHT : Integer.parseInt(limit.toString().trim());
        } catch (NumberFormatException e) {
            inFlight = -1;
        }
        if (inFlight < 1 || inFlight > AsyncInputHandler.MAX_IN_FLIGHT) {
            LOG.error("Ignoring AsyncInputHandler {} of bundle {}: its '{}' service property is '{}'; give a whole"
                    + " number from 1 to {} (or none for {})", handler.getClass().getName(),
                    ref.getBundle().getSymbolicName(), AsyncInputHandler.IN_FLIGHT, limit, AsyncInputHandler.MAX_IN_FLIGHT,
                    AsyncInputHandler.DEFAULT_IN_FLIGHT);
            return;
        }
        bind(ref, handler.getClass(), handler, inFlight);
    }

    void unbindAsyncInputHandler(ServiceReference<AsyncInputHandler> ref) {
        unbind(ref);
    }

    private void bind(ServiceReference<?> ref, Class<?> type, AsyncInputHandler handler, int inFlight) {
        String module = ref.getBundle().getHeaders("").get(EdgeModule.HEADER);
        Object input = ref.getProperty(InputHandler.INPUT);
        if (!ModuleNames.isValid(module) || !(input instanceof String in) || !ModuleNames.isValid(in)) {
            LOG.error("Ignoring input handler {} of bundle {}: it needs a module id (@EdgeModule, found '{}') and a"
                    + " valid '{}' service property (@ModuleInput, found '{}')", type.getName(),
                    ref.getBundle().getSymbolicName(), module, InputHandler.INPUT, input);
            return;
        }
        InputLoop loop = new InputLoop(module, in, handler, inFlight, true);
        loops.put(ref, loop);
        executor.execute(loop);
    }

    private void unbind(ServiceReference<?> ref) {
        InputLoop loop = loops.remove(ref);
        if (loop != null) {
            loop.stop();
        }
    }

    /**
     * Delivers a module input to a handler that is not a service: how modules outside the framework get theirs.
     *
     * @return stops the delivery
     */
    Runnable attach(String module, String input, InputHandler handler) {
        // Not measured: the handler is the runtime's (it forwards to a process), not the module's code.
        return start(module, input, async(handler), 1);
    }

    /** As {@link #attach(String, String, InputHandler)}, for a handler with up to {@code inFlight} messages. */
    Runnable attach(String module, String input, AsyncInputHandler handler, int inFlight) {
        return start(module, input, handler, inFlight);
    }

    private Runnable start(String module, String input, AsyncInputHandler handler, int inFlight) {
        InputLoop loop = new InputLoop(ModuleNames.require("module id", module), ModuleNames.require("input name",
                input), handler, inFlight, false);
        executor.execute(loop);
        return loop::stop;
    }

    /** An {@code InputHandler} as the loop calls handlers: done when it returned. */
    private static AsyncInputHandler async(InputHandler handler) {
        return message -> {
            handler.onMessage(message);
            return DONE;
        };
    }

    /** A message the handler is done with, as its loop settles it. */
    private record Done(ClientMessage cm, Message message, long handedOver, long finished, Throwable error) {
    }

    /**
     * Thrown by a handler that cannot take messages yet (its module is not connected): the message waits, without a
     * warning each time.
     */
    static final class NotReadyException extends Exception {
        private static final long serialVersionUID = 1L;

        NotReadyException(String reason) {
            super(reason, null, false, false);
        }
    }

    /** A handler refused a message: its session closes, which gives the message back to the queue. */
    private static final class RedeliveryException extends Exception {
        private static final long serialVersionUID = 1L;

        RedeliveryException() {
            super(null, null, false, false);
        }
    }

    private final class InputLoop implements Runnable {
        private final String module;
        private final String input;
        private final AsyncInputHandler handler;
        private final int maxInFlight;
        /** The {@code to} label of the input's metrics. */
        private final String to;
        /** The module's resource account (the handler's CPU time and allocations are the module's), or null. */
        private final Accounts.Account account;
        /** Metric handles of this input, by sender (and priority): looked up once, not per message. */
        private final Map<String, Metrics.Counter> delivered = new java.util.HashMap<>();
        private final Map<String, Metrics.Timer> handlerTime = new java.util.HashMap<>();
        private volatile boolean running = true;
        private boolean announced;

        InputLoop(String module, String input, AsyncInputHandler handler, int maxInFlight, boolean measured) {
            this.module = module;
            this.input = input;
            this.handler = handler;
            this.maxInFlight = maxInFlight;
            this.to = "BrokeredEndpoint(\"/modules/" + module + "/inputs/" + input + "\")";
            this.account = measured ? accounting.account(module) : null;
        }

        void stop() {
            running = false;
        }

        @Override
        public void run() {
            String queue = Addresses.input(module, input);
            while (running && !Thread.currentThread().isInterrupted()) {
                // Acknowledgements are sent as each handler returns, without waiting for the disk: a crash right
                // after may deliver a message again (at least once), but never loses one.
                try (ClientSession session = factory.createSession(false, true, true)) {
                    if (!session.queueQuery(SimpleString.of(queue)).isExists()) {
                        session.createQueue(QueueConfiguration.of(queue).setRoutingType(RoutingType.ANYCAST)
                                .setDurable(true));
                    }
                    try (ClientConsumer consumer = session.createConsumer(queue)) {
                        session.start();
                        if (!announced) {
                            LOG.info("Delivering {} to module {} input {}", queue, module, input);
                            announced = true;
                        }
                        consume(session, consumer);
                    }
                } catch (RedeliveryException e) {
                    // The handler threw: start again from the same message.
                } catch (Exception e) {
                    if (running) {
                        LOG.warn("Input {}/{} lost its broker session ({}); reconnecting", module, input,
                                e.getMessage());
                        pause();
                    }
                }
            }
        }

        private void consume(ClientSession session, ClientConsumer consumer) throws Exception {
            BlockingQueue<Done> done = new LinkedBlockingQueue<>();
            int inFlight = 0;
            Done refused = null;
            while (running && refused == null) {
                Done d = inFlight >= maxInFlight ? done.poll(500, TimeUnit.MILLISECONDS) : done.poll();
                if (d != null) {
                    inFlight--;
                    refused = settle(d);
                    continue;
                }
                if (inFlight >= maxInFlight) {
                    continue;
                }
                // Short waits while messages are in flight: their acknowledgements are sent from this thread.
                ClientMessage cm = consumer.receive(inFlight == 0 ? 500 : 5);
                if (cm == null) {
                    continue;
                }
                byte[] body = new byte[cm.getBodyBuffer().readableBytes()];
                cm.getBodyBuffer().readBytes(body);
                Message message = MessageHeaders.toMessage(body, cm::getObjectProperty);
                long handedOver = System.nanoTime();
                CompletionStage<Void> stage;
                try (var measured = account == null ? Accounts.NOTHING : accounting.measure(account)) {
                    stage = handler.onMessage(message);
                } catch (Exception e) {
                    stage = CompletableFuture.failedFuture(e);
                }
                if (stage == null) {
                    stage = CompletableFuture.failedFuture(new IllegalStateException("the handler returned no stage"));
                }
                inFlight++;
                stage.whenComplete((ok, error) -> done.add(new Done(cm, message, handedOver, System.nanoTime(),
                        error)));
            }
            // Settle what is in flight, so that what was done is acknowledged rather than delivered again.
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MS);
            while (inFlight > 0 && System.nanoTime() < deadline) {
                Done d = done.poll(100, TimeUnit.MILLISECONDS);
                if (d != null) {
                    inFlight--;
                    Done r = settle(d);
                    refused = refused == null ? r : refused;
                }
            }
            if (inFlight > 0) {
                LOG.warn("Module {} input {}: {} message(s) not done after {} ms; they will be delivered again", module,
                        input, inFlight, SETTLE_MS);
            }
            if (refused != null) {
                Throwable error = refused.error();
                if (error instanceof NotReadyException) {
                    LOG.debug("Module {} input {} waits: {}", module, input, error.getMessage());
                } else {
                    LOG.warn("Module {} input {} refused message {} ({}); it will be delivered again", module, input,
                            refused.message().messageId(), error.toString());
                }
                pause();
                // Closing the session puts the message back at the head of the queue, in order.
                throw new RedeliveryException();
            }
        }

        /** Acknowledges and counts a message done with; returns it when it failed instead (it is not acknowledged). */
        private Done settle(Done d) throws Exception {
            if (d.error() != null) {
                Throwable error = d.error() instanceof CompletionException c && c.getCause() != null ? c.getCause()
                        : d.error();
                return new Done(d.cm(), d.message(), d.handedOver(), d.finished(), error);
            }
            d.cm().individualAcknowledge();
            counters.received(module);
            Message message = d.message();
            String from = message.connectionModuleId() == null ? "" : message.connectionModuleId();
            int priority = 9 - d.cm().getPriority();
            String output = message.outputName() == null ? "" : message.outputName();
            delivered.computeIfAbsent(from + "\u0000" + output + "\u0000" + priority, k -> metrics.counter(
                    "edgehub_messages_sent_total", "from", from, "to", to, "from_route_output", output,
                    "to_route_input", input, "priority", Integer.toString(priority))).increment();
            handlerTime.computeIfAbsent(from + "\u0000" + output, f -> metrics.timer(
                    "edgehub_message_send_duration_seconds", "from", from, "to", to, "from_route_output", output,
                    "to_route_input", input)).record(d.finished() - d.handedOver());
            return null;
        }

        private void pause() {
            try {
                Thread.sleep(RETRY_DELAY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
