/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.commons.Json;
import org.outpost.commons.UserFiles;
import org.outpost.deployment.api.Deployer;
import org.outpost.deployment.api.DeploymentResult;

/** {@code edge:deploy}: applies an IoT Edge deployment manifest, or shows what it would change. */
@Service
@Command(scope = "edge", name = "deploy", description = "Applies a deployment manifest (IoT Edge shape) from a file or"
        + " URL: all or nothing, rolled back to the last good deployment if a step fails or a changed module does"
        + " not reach running. With --dry-run, checks it and prints the plan without changing anything.")
public class DeployCommand implements Action {

    @Reference
    private Session session;

    @Reference
    private Deployer deployer;

    @Reference
    private EdgeRuntime runtime;

    @Argument(index = 0, name = "manifest", required = true, description = "A manifest file, or an http(s) URL")
    @Completion(FileCompleter.class)
    private String manifest;

    @Option(name = "--dry-run", description = "Check the manifest and print the plan; change nothing")
    private boolean dryRun;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Option(name = "--quiet", description = "Print no progress while the deployment runs, only its result")
    private boolean quiet;

    @Override
    public Object execute() throws Exception {
        String text;
        try {
            if (manifest.startsWith("http://") || manifest.startsWith("https://")) {
                java.net.URLConnection c = URI.create(manifest).toURL().openConnection();
                c.setConnectTimeout(10_000);
                c.setReadTimeout(30_000);
                try (InputStream in = c.getInputStream()) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } else {
                text = UserFiles.readString(manifest.startsWith("file:") ? Path.of(URI.create(manifest)).toString()
                        : manifest, session.get(UserFiles.CWD_VARIABLE));
            }
        } catch (java.io.FileNotFoundException e) {
            throw new CommandException("No deployment manifest: " + e.getMessage() + ". Give a file, or a file:, http:"
                    + " or https: URL. Nothing was changed.");
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new CommandException("Cannot read the deployment manifest " + manifest + ": " + e.getMessage()
                    + ". Nothing was changed.");
        }
        DeploymentResult r = dryRun || json || quiet ? deployer.deploy(text, dryRun) : withProgress(text);
        if (json) {
            System.out.println(Json.write(r));
            return null;
        }
        if (!r.steps().isEmpty()) {
            ShellTable table = new ShellTable();
            table.column("Step");
            table.column("Module");
            table.column("Why");
            r.steps().forEach(s -> table.addRow().addContent(s.action(), s.module(), s.reason()));
            table.print(System.out);
        }
        if (r.code() != 200) {
            throw new CommandException("deployment refused: " + r.description());
        }
        System.out.println(dryRun ? "The manifest is valid; nothing was changed (--dry-run)."
                : "Deployment applied (200) in " + r.millis() + " ms.");
        if (!r.warnings().isEmpty()) {
            System.out.println("Not honoured by this gateway (" + r.warnings().size() + "), the rest applies:");
            r.warnings().forEach(w -> System.out.println("  " + w));
        }
        return null;
    }

    /** Deploys on a thread of its own, printing the manifest's modules' progress meanwhile. */
    private DeploymentResult withProgress(String text) throws Exception {
        java.util.concurrent.ExecutorService one = java.util.concurrent.Executors.newSingleThreadExecutor(
                org.outpost.commons.DaemonThreads.named("outpost-edge-deploy"));
        try {
            java.util.concurrent.Future<DeploymentResult> result = one.submit(() -> deployer.deploy(text, false));
            DeployProgress progress = new DeployProgress(DeployProgress.modules(text));
            long start = System.nanoTime();
            while (true) {
                try {
                    return result.get(250, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException stillRunning) {
                    progress.poll(runtime.modules(), java.time.Duration.ofNanos(System.nanoTime() - start))
                            .forEach(System.out::println);
                    System.out.flush();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            one.shutdown();
        }
    }
}
