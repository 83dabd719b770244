/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.hub.uploads.Uploads;

/** How {@code hub:support-bundle} and {@code hub:uploads} show and save uploads. */
final class UploadViews {

    private UploadViews() {
    }

    static String kind(Uploads.Kind kind) {
        return kind == Uploads.Kind.SUPPORT_BUNDLE ? "support-bundle" : "module-logs";
    }

    static Map<String, Object> json(Uploads.Upload u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("deviceId", u.deviceId());
        m.put("kind", kind(u.kind()));
        m.put("taskStatus", u.taskStatus());
        m.put("message", u.message());
        m.put("correlationId", u.correlationId());
        m.put("created", u.created().toString());
        List<Map<String, Object>> files = new ArrayList<>();
        for (Uploads.UploadFile f : u.files()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("seq", f.seq());
            fm.put("name", f.name());
            fm.put("bytes", f.bytes());
            fm.put("contentType", f.contentType());
            fm.put("sha256", f.sha256());
            files.add(fm);
        }
        m.put("files", files);
        return m;
    }

    static ShellTable table(List<Uploads.Upload> uploads) {
        ShellTable t = new ShellTable();
        t.column("Upload");
        t.column("Device");
        t.column("Kind");
        t.column("Task");
        t.column("Files");
        t.column("Bytes");
        t.column("Created");
        t.column("Message");
        for (Uploads.Upload u : uploads) {
            t.addRow().addContent(u.id(), u.deviceId(), kind(u.kind()), u.taskStatus(), u.files().size(),
                    u.files().stream().mapToLong(Uploads.UploadFile::bytes).sum(), u.created(),
                    u.message().isEmpty() ? "-" : u.message());
        }
        return t;
    }

    /** @return the files written, each under its blob name's last part */
    static List<Path> save(Uploads uploads, Uploads.Upload u, Path folder) throws CommandException {
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(folder);
            for (Uploads.UploadFile f : u.files()) {
                String name = f.name().substring(f.name().lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
                Path file = folder.resolve(name.isEmpty() ? "file-" + f.seq() : name);
                Files.write(file, uploads.content(u.id(), f.seq()).orElseThrow(() -> new CommandException(
                        "file " + f.seq() + " of upload " + u.id() + " is gone (deleted meanwhile?)")));
                written.add(file);
            }
        } catch (IOException e) {
            throw new CommandException("cannot write the files of upload " + u.id() + " to " + folder + ": "
                    + e.getMessage());
        }
        return written;
    }
}
