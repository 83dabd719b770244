/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.outpost.commons.Json;
import org.outpost.commons.ShellFiles;
import org.outpost.hub.uploads.Uploads;

/** {@code hub:support-bundle}: asks a gateway for its support bundle (or its modules' logs) and can wait for it. */
@Service
@Command(scope = "hub", name = "support-bundle", description = "Asks a gateway to upload its support bundle (its"
        + " $edgeAgent's UploadSupportBundle), or with --logs its modules' logs (UploadModuleLogs), to the hub. With"
        + " --wait it waits for the upload, with --output it saves the files.")
public class SupportBundleCommand implements Action {

    private static final Set<String> DONE = Set.of("Completed", "Failed", "Refused", "Unknown");

    @Reference
    private Uploads uploads;

    @Reference
    private Session session;

    @Argument(index = 0, name = "device", required = true, description = "The gateway's device id")
    private String device;

    @Option(name = "--since", description = "Only log entries since this time (90s, 10m, 2h, 1d, RFC 3339 or UNIX"
            + " seconds)")
    private String since;

    @Option(name = "--until", description = "Only log entries before this time")
    private String until;

    @Option(name = "--edge-runtime-only", description = "Only the gateway's own log, not its modules'")
    private boolean runtimeOnly;

    @Option(name = "--logs", description = "The modules' logs instead of a support bundle (one file per module)")
    private boolean logs;

    @Option(name = "--module", description = "With --logs: the modules, a regular expression (default: all)")
    private String module = ".*";

    @Option(name = "--tail", description = "With --logs: the newest entries per module (default 1000)")
    private int tail = 1000;

    @Option(name = "--wait", description = "Seconds to wait for the upload to finish (default 0: do not wait)")
    private int waitSeconds;

    @Option(name = "--output", aliases = "-o", description = "Save the files into this folder (implies --wait 120"
            + " unless --wait is given)")
    private String output;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Override
    public Object execute() throws Exception {
        ObjectNode options = new ObjectMapper().createObjectNode();
        if (since != null) {
            (logs ? options.putArray("items").addObject().put("id", module).putObject("filter") : options)
                    .put("since", since);
        }
        if (logs) {
            ObjectNode filter = options.has("items") ? (ObjectNode) options.get("items").get(0).get("filter")
                    : options.putArray("items").addObject().put("id", module).putObject("filter");
            filter.put("tail", tail);
            if (until != null) {
                filter.put("until", until);
            }
        } else {
            if (until != null) {
                options.put("until", until);
            }
            options.put("edgeRuntimeOnly", runtimeOnly);
        }
        Uploads.Upload u;
        try {
            u = uploads.request(device, logs ? Uploads.Kind.MODULE_LOGS : Uploads.Kind.SUPPORT_BUNDLE,
                    options.toString());
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
        int wait = waitSeconds > 0 ? waitSeconds : output != null ? 120 : 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(wait);
        while (!DONE.contains(u.taskStatus()) && System.nanoTime() < end) {
            TimeUnit.MILLISECONDS.sleep(500);
            u = uploads.get(u.id()).orElseThrow(() -> new CommandException("the upload was deleted meanwhile"));
        }
        List<Path> saved = List.of();
        if (output != null && !u.files().isEmpty()) {
            saved = UploadViews.save(uploads, u, ShellFiles.resolve(session, output));
        }
        if (json) {
            Map<String, Object> out = UploadViews.json(u);
            out.put("saved", saved.stream().map(Path::toString).toList());
            System.out.println(Json.write(out));
        } else {
            UploadViews.table(List.of(u)).print(System.out);
            saved.forEach(p -> System.out.println("Saved " + p));
            if (wait > 0 && !DONE.contains(u.taskStatus())) {
                System.out.println("Still " + u.taskStatus() + " after " + wait + " s: see hub:uploads " + device);
            }
        }
        if (u.taskStatus().equals("Refused") || u.taskStatus().equals("Failed")) {
            throw new CommandException("the upload " + u.id() + " " + u.taskStatus().toLowerCase() + ": "
                    + u.message());
        }
        return null;
    }
}
