/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.commons.Json;
import org.outpost.commons.ShellFiles;
import org.outpost.deployment.api.LogQuery;
import org.outpost.support.api.SupportBundles;

/** {@code edge:support-bundle}: writes the support bundle zip, as {@code iotedge support-bundle} does. */
@Service
@Command(scope = "edge", name = "support-bundle", description = "Writes a support bundle: a zip with the gateway's"
        + " and its modules' logs, its configuration with every secret redacted, its status (deployment, modules,"
        + " routes, upstream), its checks, its metrics, a thread dump and the last deployment with its result.")
public class SupportBundleCommand implements Action {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    @Reference
    private SupportBundles bundles;

    @Reference
    private Session session;

    @Option(name = "--since", description = "Only log entries since this time: a duration back from now (90s, 10m,"
            + " 2h, 1d), an RFC 3339 time (2026-11-26T10:00:00Z) or UNIX seconds (default: all that are kept)")
    private String since;

    @Option(name = "--until", description = "Only log entries before this time (same forms as --since)")
    private String until;

    @Option(name = "--output", aliases = "-o", description = "The zip file to write (default:"
            + " support-bundle-<time>.zip in the shell's folder); an existing file is replaced")
    private String output;

    @Option(name = "--edge-runtime-only", description = "Only the gateway's own log, not its modules'")
    private boolean runtimeOnly;

    @Option(name = "--json", description = "Print the result as JSON")
    private boolean json;

    @Override
    public Object execute() throws Exception {
        Instant now = Instant.now();
        SupportBundles.Request request;
        try {
            request = new SupportBundles.Request(since == null ? null : LogQuery.time(since, now),
                    until == null ? null : LogQuery.time(until, now), runtimeOnly);
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
        Path file = ShellFiles.resolve(session, output != null ? output
                : "support-bundle-" + STAMP.format(now) + ".zip");
        Path folder = file.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new CommandException("--output: the folder " + folder + " does not exist");
        }
        Path partial = Files.createTempFile(folder, ".support-bundle-", ".part");
        List<String> entries;
        try {
            ownerOnly(partial);
            try (OutputStream out = Files.newOutputStream(partial)) {
                entries = bundles.write(request, out);
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw new CommandException("the support bundle could not be written to " + file + ": " + e.getMessage());
        }
        List<String> failed = entries.stream().filter(n -> n.endsWith(".error.txt"))
                .map(n -> n.substring(0, n.length() - ".error.txt".length())).toList();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("file", file.toString());
        result.put("bytes", Files.size(file));
        result.put("entries", entries.size());
        result.put("notCollected", failed);
        if (json) {
            System.out.println(Json.write(result));
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("File");
        table.column("Bytes");
        table.column("Entries");
        table.column("Not collected (see <part>.error.txt)");
        table.addRow().addContent(file, Files.size(file), entries.size(), failed.isEmpty() ? "-"
                : String.join(", ", failed));
        table.print(System.out);
        System.out.println("Secrets are redacted; the logs may still hold personal data: share the file with care.");
        return null;
    }

    private static void ownerOnly(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system: the folder's own permissions apply.
        }
    }
}
