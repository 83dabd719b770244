/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.api.message.Message;
import org.outpost.commons.Json;
import org.outpost.hub.routing.HubRouting;

/** {@code hub:routes}: message routing's routes and endpoints, and what changes them. */
@Service
@Command(scope = "hub", name = "routes", description = "Message routing: lists routes and endpoints (queued,"
        + " delivered, failed, dead letters, last error); add|remove a route; endpoint|endpoint-remove; test a"
        + " condition against a sample message; deadletters|replay an endpoint's dead letters; consumer-groups"
        + " [add|remove <group>] of the built-in endpoint 'events'.")
public class RoutesCommand implements Action {

    static final ObjectMapper MAPPER = new ObjectMapper();

    @Reference
    private HubRouting routing;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Option(name = "--disabled", description = "add: the route starts disabled")
    private boolean disabled;

    @Option(name = "--device", description = "test: the sample's connectionDeviceId")
    private String device;

    @Option(name = "--property", aliases = "-p", multiValued = true, description = "test: an application property"
            + " key=value of the sample (repeat)")
    private List<String> properties;

    @Argument(index = 0, name = "action", description = "list (default), add <route> <condition> <endpoint>...,"
            + " remove <route>, endpoint <name> <type> <settings JSON>, endpoint-remove <name>, test <condition>"
            + " [<JSON body>], deadletters <endpoint>, replay <endpoint> [<sequence>...], consumer-groups"
            + " [add|remove <group>]")
    private String action = "list";

    @Argument(index = 1, name = "args", multiValued = true, description = "The action's arguments")
    private List<String> args = new ArrayList<>();

    @Override
    public Object execute() throws Exception {
        try {
            run(System.out);
        } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
            System.err.println("hub:routes " + action + ": " + e.getMessage());
        }
        return null;
    }

    private String arg(int i, String what) {
        if (args == null || args.size() <= i) {
            throw new IllegalArgumentException("give " + what + " (see hub:routes --help)");
        }
        return args.get(i);
    }

    void run(PrintStream out) throws Exception {
        switch (action) {
            case "list" -> list(out);
            case "add" -> {
                HubRouting.Route r = routing.putRoute(new HubRouting.Route(arg(0, "the route's name"),
                        "DeviceMessages", arg(1, "the condition"), args.subList(2, Math.max(2, args.size())),
                        !disabled));
                out.println(json ? Json.write(r) : "Route " + r.name() + ": " + r.condition() + " -> "
                        + r.endpoints() + (r.enabled() ? "" : " (disabled)"));
            }
            case "remove" -> out.println(routing.deleteRoute(arg(0, "the route's name")) ? "Removed route "
                    + args.get(0) : "No route '" + args.get(0) + "'");
            case "endpoint" -> {
                Map<String, Object> settings = MAPPER.readValue(args.size() > 2 ? args.get(2) : "{}",
                        new TypeReference<LinkedHashMap<String, Object>>() {
                        });
                HubRouting.Endpoint e = routing.putEndpoint(arg(0, "the endpoint's name"), arg(1, "its type"),
                        settings);
                out.println(json ? Json.write(e) : "Endpoint " + e.name() + " (" + e.type() + ") " + e.settings());
            }
            case "endpoint-remove" -> out.println(routing.deleteEndpoint(arg(0, "the endpoint's name"))
                    ? "Removed endpoint " + args.get(0) : "No endpoint '" + args.get(0) + "'");
            case "test" -> test(out);
            case "deadletters" -> deadLetters(out);
            case "replay" -> {
                List<Long> seqs = args.size() > 1 ? args.subList(1, args.size()).stream().map(Long::valueOf)
                        .toList() : List.of();
                out.println("Replayed " + routing.replay(arg(0, "the endpoint's name"), seqs) + " dead letter(s)");
            }
            case "consumer-groups" -> groups(out);
            default -> throw new IllegalArgumentException("unknown action '" + action + "' (list, add, remove,"
                    + " endpoint, endpoint-remove, test, deadletters, replay, consumer-groups)");
        }
    }

    private void list(PrintStream out) {
        List<HubRouting.Route> routes = routing.routes();
        List<HubRouting.Endpoint> endpoints = routing.endpoints();
        if (json) {
            out.println(Json.write(Map.of("routes", routes, "endpoints", endpoints)));
            return;
        }
        ShellTable r = new ShellTable();
        r.column("Route");
        r.column("Source");
        r.column("Condition").maxSize(60);
        r.column("Endpoints");
        r.column("Enabled");
        for (HubRouting.Route x : routes) {
            r.addRow().addContent(x.name(), x.source(), x.condition(), String.join(",", x.endpoints()), x.enabled());
        }
        r.print(out);
        out.println();
        ShellTable e = new ShellTable();
        e.column("Endpoint");
        e.column("Type");
        e.column("Queued").alignRight();
        e.column("Delivered").alignRight();
        e.column("Failed").alignRight();
        e.column("Dead").alignRight();
        e.column("Lag s").alignRight();
        e.column("Node");
        e.column("Last error").maxSize(60);
        for (HubRouting.Endpoint x : endpoints) {
            e.addRow().addContent(x.name(), x.type(), x.queued(), x.delivered(), x.failed(), x.dead(),
                    x.lagMs() / 1000, x.node() == null ? "-" : x.node(), x.lastError() == null ? "" : x.lastError());
        }
        e.print(out);
    }

    private void test(PrintStream out) throws Exception {
        String condition = arg(0, "the condition");
        Message.Builder b = Message.builder();
        if (args.size() > 1) {
            JsonNode body = MAPPER.readTree(args.get(1));
            b.json(body.toString()).contentEncoding("utf-8");
        }
        if (device != null) {
            b.connectionDeviceId(device);
        }
        for (String p : properties == null ? List.<String>of() : properties) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--property takes key=value, not '" + p + "'");
            }
            b.property(p.substring(0, eq), p.substring(eq + 1));
        }
        HubRouting.TestResult r = routing.test(condition, b.build());
        if (json) {
            out.println(Json.write(r));
            return;
        }
        out.println("Condition: " + r.result() + (r.undefinedOperand() == null ? "" : " (" + r.undefinedOperand()
                + " has no value)"));
        out.println("Routes the sample takes now: " + (r.routes().isEmpty() ? "none (dropped)" : r.routes()));
    }

    private void deadLetters(PrintStream out) {
        List<HubRouting.DeadLetter> dead = routing.deadLetters(arg(0, "the endpoint's name"), 100);
        if (json) {
            out.println(Json.write(dead.stream().map(d -> Map.of("sequence", d.sequence(), "route", d.route(),
                    "enqueuedTime", d.enqueuedTime(), "deadTime", d.deadTime(), "attempts", d.attempts(), "reason",
                    d.reason(), "body", new String(d.message().body(), StandardCharsets.UTF_8))).toList()));
            return;
        }
        ShellTable t = new ShellTable();
        t.column("Seq").alignRight();
        t.column("Route");
        t.column("Enqueued");
        t.column("Attempts").alignRight();
        t.column("Reason").maxSize(70);
        t.column("Body").maxSize(40);
        for (HubRouting.DeadLetter d : dead) {
            t.addRow().addContent(d.sequence(), d.route(), d.enqueuedTime(), d.attempts(), d.reason(),
                    new String(d.message().body(), StandardCharsets.UTF_8));
        }
        t.emptyTableText("No dead letters.");
        t.print(out);
    }

    private void groups(PrintStream out) {
        String sub = args == null || args.isEmpty() ? "list" : args.get(0);
        switch (sub) {
            case "add" -> {
                String name = arg(1, "the group's name");
                String token = routing.addConsumerGroup(name);
                out.println("Consumer group " + name + ": connect to the hub's broker (MQTT 5) as user $events/" + name
                        + " with client id events-" + name + "-<anything> and this token as password, and subscribe to $share/" + name + "/outpost/events."
                        + " The token is shown this once:");
                out.println(token);
            }
            case "remove" -> out.println(routing.removeConsumerGroup(arg(1, "the group's name"))
                    ? "Removed consumer group " + args.get(1) : "No consumer group '" + args.get(1) + "'");
            case "list" -> {
                List<HubRouting.ConsumerGroup> groups = routing.consumerGroups();
                if (json) {
                    out.println(Json.write(groups));
                    return;
                }
                ShellTable t = new ShellTable();
                t.column("Group");
                t.column("Topic");
                t.column("Waiting here").alignRight();
                t.column("Created");
                for (HubRouting.ConsumerGroup g : groups) {
                    t.addRow().addContent(g.name(), g.topic(), g.waiting(), g.created());
                }
                t.emptyTableText("No consumer groups. Add one with hub:routes consumer-groups add <group>.");
                t.print(out);
            }
            default -> throw new IllegalArgumentException("consumer-groups takes add <group>, remove <group> or"
                    + " nothing, not '" + sub + "'");
        }
    }
}
