/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import org.outpost.api.module.EdgeModule;
import org.outpost.api.module.InputHandler;
import org.outpost.api.module.ModuleNames;
import org.outpost.broker.api.Broker;
import org.outpost.commons.DaemonThreads;
import org.outpost.routing.api.MessageHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link InputHandler} whiteboard: for each handler, one thread takes the messages of its input queue in order,
 * calls the handler and acknowledges the message only when the handler returned. A handler that throws gets the same
 * message again after a pause. Deliveries are counted as {@code messages_sent_total} and timed as
 * {@code message_send_duration_seconds} (the handler's time).
 */
@Component(service = InputDispatcher.class)
public final class InputDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(InputDispatcher.class);
    private static final long RETRY_DELAY_MS = 1000;

    private final ModuleCounters counters;
    private final Metrics metrics;
    private final ModuleAccounting accounting;
    private final ServerLocator locator;
    private final ClientSessionFactory factory;
    private final ExecutorService executor = Executors.newCachedThreadPool(DaemonThreads.named("outpost-input"));
    private final Map<ServiceReference<InputHandler>, InputLoop> loops = new ConcurrentHashMap<>();

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
        String module = ref.getBundle().getHeaders("").get(EdgeModule.HEADER);
        Object input = ref.getProperty(InputHandler.INPUT);
        if (!ModuleNames.isValid(module) || !(input instanceof String in) || !ModuleNames.isValid(in)) {
            LOG.error("Ignoring InputHandler {} of bundle {}: it needs a module id (@EdgeModule, found '{}') and a valid"
                    + " '{}' service property (@ModuleInput, found '{}')", handler.getClass().getName(),
                    ref.getBundle().getSymbolicName(), module, InputHandler.INPUT, input);
            return;
        }
        InputLoop loop = new InputLoop(module, in, handler, true);
        loops.put(ref, loop);
        executor.execute(loop);
    }

    /**
     * Delivers a module input to a handler that is not a service: how modules outside the framework get theirs.
     *
     * @return stops the delivery
     */
    Runnable attach(String module, String input, InputHandler handler) {
        // Not measured: the handler is the runtime's (it forwards to a process), not the module's code.
        InputLoop loop = new InputLoop(ModuleNames.require("module id", module), ModuleNames.require("input name",
                input), handler, false);
        executor.execute(loop);
        return loop::stop;
    }

    void unbindInputHandler(ServiceReference<InputHandler> ref) {
        InputLoop loop = loops.remove(ref);
        if (loop != null) {
            loop.stop();
        }
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
        private final InputHandler handler;
        /** The module's resource account (the handler's CPU time and allocations are the module's), or null. */
        private final Accounts.Account account;
        /** Metric handles of this input, by sender (and priority): looked up once, not per message. */
        private final Map<String, Metrics.Counter> delivered = new java.util.HashMap<>();
        private final Map<String, Metrics.Timer> handlerTime = new java.util.HashMap<>();
        private volatile boolean running = true;
        private boolean announced;

        InputLoop(String module, String input, InputHandler handler, boolean measured) {
            this.module = module;
            this.input = input;
            this.handler = handler;
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
            String to = "BrokeredEndpoint(\"/modules/" + module + "/inputs/" + input + "\")";
            while (running) {
                ClientMessage cm = consumer.receive(500);
                if (cm == null) {
                    continue;
                }
                byte[] body = new byte[cm.getBodyBuffer().readableBytes()];
                cm.getBodyBuffer().readBytes(body);
                Message message = MessageHeaders.toMessage(body, cm::getObjectProperty);
                long start = System.nanoTime();
                try (var measured = account == null ? Accounts.NOTHING : accounting.measure(account)) {
                    handler.onMessage(message);
                } catch (NotReadyException e) {
                    LOG.debug("Module {} input {} waits: {}", module, input, e.getMessage());
                    pause();
                    throw new RedeliveryException();
                } catch (Exception e) {
                    LOG.warn("Module {} input {} refused message {} ({}); it will be delivered again", module, input,
                            message.messageId(), e.toString());
                    pause();
                    // Closing the session puts the message back at the head of the queue, in order.
                    throw new RedeliveryException();
                }
                cm.individualAcknowledge();
                counters.received(module);
                String from = message.connectionModuleId() == null ? "" : message.connectionModuleId();
                int priority = 9 - cm.getPriority();
                String output = message.outputName() == null ? "" : message.outputName();
                delivered.computeIfAbsent(from + "\u0000" + output + "\u0000" + priority, k -> metrics.counter(
                        "edgehub_messages_sent_total", "from", from, "to", to, "from_route_output", output,
                        "to_route_input", input, "priority", Integer.toString(priority))).increment();
                handlerTime.computeIfAbsent(from + "\u0000" + output, f -> metrics.timer(
                        "edgehub_message_send_duration_seconds", "from", from, "to", to, "from_route_output", output,
                        "to_route_input", input)).record(System.nanoTime() - start);
            }
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
