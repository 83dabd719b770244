/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.Test;
import org.osgi.framework.ServiceRegistration;
import org.outpost.api.message.Message;
import org.outpost.api.metrics.MetricSample;
import org.outpost.api.metrics.Metrics;
import org.outpost.api.module.InputHandler;

import javax.inject.Inject;

/** Module to module: a route delivers to a module input in order, and a message the handler refuses comes again. */
public class ModuleInputIT extends OutpostTestSupport {

    private static final String ENDPOINT = "BrokeredEndpoint(\"/modules/itest/inputs/in\")";

    @Inject
    private Metrics metrics;

    @Test
    public void anInputGetsItsMessagesInOrderAndARefusedMessageAgain() throws Exception {
        setRoutes(Map.of("route.toItest", "FROM /messages/modules/feeder/* INTO " + ENDPOINT));
        List<String> calls = new CopyOnWriteArrayList<>();
        AtomicBoolean refusedOnce = new AtomicBoolean();
        // The test probe is the module "itest" (see KarafTestSupport), so this handler is its input "in".
        ServiceRegistration<InputHandler> handler = bundleContext.registerService(InputHandler.class, message -> {
            String n = message.property("n").orElse("?");
            calls.add(n);
            if (n.equals("3") && refusedOnce.compareAndSet(false, true)) {
                throw new IllegalStateException("not now");
            }
        }, new Hashtable<>(Map.of(InputHandler.INPUT, "in")));
        try {
            for (int n = 1; n <= 5; n++) {
                runtime.inject("feeder", "out", Message.builder().json("{}").property("n", Integer.toString(n))
                        .build());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> calls.size() >= 6);
            assertThat(calls).containsExactly("1", "2", "3", "3", "4", "5");
            await().atMost(Duration.ofSeconds(10)).until(() -> delivered() == 5);
            assertThat(shell("edge:metrics edgehub_messages_sent_total")).containsPattern("from=feeder"
                    + " from_route_output=out priority=9 to=" + java.util.regex.Pattern.quote(ENDPOINT)
                    + " to_route_input=in\\s*\\|\\s*5\\s*\\|");
        } finally {
            handler.unregister();
        }
    }

    private double delivered() {
        return metrics.samples().stream().filter(s -> s.name().equals("edgehub_messages_sent_total")
                && ENDPOINT.equals(s.labels().get("to"))).mapToDouble(MetricSample::value).sum();
    }
}
