/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.commons.Json;
import org.outpost.hub.api.Telemetry;
import org.outpost.hub.api.Telemetry.Received;

/** {@code hub:telemetry}: the newest telemetry, or a live tail with {@code --follow}. */
@Service
@Command(scope = "hub", name = "telemetry", description = "Shows the newest telemetry the hub received;"
        + " --follow keeps printing new messages until Ctrl-C (or --count / --timeout).")
public class TelemetryCommand implements Action {

    @Reference
    private Telemetry telemetry;

    @Option(name = "-d", aliases = "--device", description = "Only this device")
    private String device;

    @Option(name = "-n", aliases = "--tail", description = "How many of the newest messages to show (default 20)")
    private int tail = 20;

    @Option(name = "-f", aliases = "--follow", description = "Keep printing new messages")
    private boolean follow;

    @Option(name = "--count", description = "With --follow: stop after this many new messages")
    private long count = Long.MAX_VALUE;

    @Option(name = "--timeout", description = "With --follow: stop after this many seconds")
    private long timeoutSeconds = Long.MAX_VALUE / 1000;

    @Option(name = "--json", description = "Print JSON lines for scripts")
    private boolean json;

    @Override
    public Object execute() throws Exception {
        PrintStream out = System.out;
        if (!follow) {
            List<Received> recent = telemetry.recent(device, tail);
            if (json) {
                recent.forEach(r -> out.println(line(r)));
                return null;
            }
            ShellTable table = new ShellTable();
            table.column("#").alignRight();
            table.column("Device");
            table.column("Module");
            table.column("Output");
            table.column("Properties").maxSize(40);
            table.column("Body").maxSize(70);
            for (Received r : recent) {
                table.addRow().addContent(r.sequence(), r.deviceId(), r.moduleId() == null ? "-" : r.moduleId(),
                        r.message().outputName() == null ? "-" : r.message().outputName(), r.message().properties(),
                        r.message().bodyAsString());
            }
            table.emptyTableText("No telemetry yet (" + telemetry.received() + " messages received since this hub"
                    + " started, " + telemetry.receivedSince() + ").");
            table.print(out);
            return null;
        }
        BlockingQueue<Received> queue = new LinkedBlockingQueue<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        long printed = 0;
        try (AutoCloseable subscription = telemetry.subscribe(r -> {
            if (device == null || device.equals(r.deviceId())) {
                queue.add(r);
            }
        })) {
            while (printed < count && System.nanoTime() < deadline) {
                Received r = queue.poll(200, TimeUnit.MILLISECONDS);
                if (r != null) {
                    out.println(json ? line(r) : r.deviceId() + "/" + (r.moduleId() == null ? "-" : r.moduleId())
                            + " " + r.message().properties() + " " + r.message().bodyAsString());
                    out.flush();
                    printed++;
                }
            }
        } catch (InterruptedException ctrlC) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private static String line(Received r) {
        return Json.line(Map.of("sequence", r.sequence(), "deviceId", r.deviceId(), "moduleId",
                r.moduleId() == null ? "" : r.moduleId(), "output", r.message().outputName() == null ? ""
                        : r.message().outputName(), "properties", r.message().properties(), "body",
                r.message().bodyAsString()));
    }
}
