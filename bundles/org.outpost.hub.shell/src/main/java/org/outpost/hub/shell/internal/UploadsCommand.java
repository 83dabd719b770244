/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import java.nio.file.Path;
import java.util.List;

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

/** {@code hub:uploads}: the support bundles and logs devices uploaded; saves or deletes one. */
@Service
@Command(scope = "hub", name = "uploads", description = "Lists the support bundles and module logs devices uploaded"
        + " (newest first), saves an upload's files (--save <upload> --output <folder>) or deletes one (--delete).")
public class UploadsCommand implements Action {

    @Reference
    private Uploads uploads;

    @Reference
    private Session session;

    @Argument(index = 0, name = "device", description = "Only this device's uploads")
    private String device;

    @Option(name = "--limit", description = "At most this many (default 50)")
    private int limit = 50;

    @Option(name = "--save", description = "Save this upload's files (into --output, default the shell's folder)")
    private String save;

    @Option(name = "--output", aliases = "-o", description = "The folder --save writes to")
    private String output = ".";

    @Option(name = "--delete", description = "Delete this upload and its files")
    private String delete;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Override
    public Object execute() throws Exception {
        if (delete != null) {
            if (!uploads.delete(delete)) {
                throw new CommandException("there is no upload " + delete + " (see hub:uploads)");
            }
            System.out.println("Deleted upload " + delete);
            return null;
        }
        if (save != null) {
            Uploads.Upload u = uploads.get(save).orElseThrow(() -> new CommandException("there is no upload " + save
                    + " (see hub:uploads)"));
            if (u.files().isEmpty()) {
                throw new CommandException("upload " + save + " has no files yet (task " + u.taskStatus() + ")");
            }
            List<Path> saved = UploadViews.save(uploads, u, ShellFiles.resolve(session, output));
            if (json) {
                System.out.println(Json.write(saved.stream().map(Path::toString).toList()));
            } else {
                saved.forEach(p -> System.out.println("Saved " + p));
            }
            return null;
        }
        List<Uploads.Upload> list = uploads.list(device, Math.max(1, limit));
        if (json) {
            System.out.println(Json.write(list.stream().map(UploadViews::json).toList()));
        } else {
            UploadViews.table(list).print(System.out);
        }
        return null;
    }
}
