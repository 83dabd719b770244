/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.outpost.commons.ShellFiles;
import org.outpost.hub.api.DeviceRegistry;
import org.outpost.hub.api.NewDevice;
import org.outpost.hub.api.Twins;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinException;
import org.outpost.protocol.TwinLimits;

/** {@code hub:device-import}: registers devices in bulk from a JSON-lines file. */
@Service
@Command(scope = "hub", name = "device-import", description = "Registers devices in bulk, all or none, from a file of"
        + " JSON lines: {\"id\": \"gw-1\", \"primaryKey\": \"<Base64>\", \"secondaryKey\": \"...\","
        + " \"parentId\": \"gw\", \"tags\": {...}} (keys, parent and tags optional; a parent may be earlier in the"
        + " file). Keys the hub makes are written to --keys-out.")
public class DeviceImportCommand implements Action {

    @Reference
    private Session session;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Reference
    private DeviceRegistry registry;

    @Reference
    private Twins twins;

    @Argument(index = 0, name = "file", required = true, description = "JSON lines, one device per line")
    private String file;

    @Option(name = "--keys-out", description = "A file to write 'id,primaryKey' lines to (readable by you only);"
            + " needed when a line has no primaryKey")
    private String keysOut;

    @Override
    public Object execute() throws Exception {
        long t0 = System.nanoTime();
        List<NewDevice> devices = new ArrayList<>();
        Map<String, String> tags = new LinkedHashMap<>();
        int lineNumber = 0;
        int keyless = 0;
        for (String line : ShellFiles.read(session, file).split("\\R")) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode d;
            try {
                d = JSON.readTree(line);
            } catch (java.io.IOException e) {
                throw new CommandException("Refused, nothing imported: line " + lineNumber + ": not JSON");
            }
            String id = d.path("id").asText("");
            if (d.hasNonNull("tags")) {
                try {
                    TwinDocument.patchSection(JSON.createObjectNode(), d.get("tags").toString(), "tags",
                            TwinLimits.IOT_HUB);
                } catch (TwinException e) {
                    throw new CommandException("Refused, nothing imported: line " + lineNumber + ": " + e.getMessage());
                }
                tags.put(id, d.get("tags").toString());
            }
            String primary = d.path("primaryKey").textValue();
            keyless += primary == null ? 1 : 0;
            devices.add(new NewDevice(id, primary, d.path("secondaryKey").textValue(), d.path("parentId")
                    .textValue()));
        }
        if (keyless > 0 && keysOut == null) {
            System.err.println("Refused, nothing imported: " + keyless + " device(s) have no primaryKey; give"
                    + " --keys-out <file> to receive the keys the hub makes for them");
            return null;
        }
        Map<String, String> keys;
        try {
            keys = registry.importDevices(devices);
        } catch (IllegalArgumentException e) {
            throw new CommandException("Refused, nothing imported: " + e.getMessage());
        }
        if (keysOut != null) {
            Path out = ShellFiles.resolve(session, keysOut);
            Files.deleteIfExists(out);
            Files.createFile(out, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            List<String> lines = new ArrayList<>();
            keys.forEach((id, key) -> lines.add(id + "," + key));
            Files.write(out, lines, StandardCharsets.UTF_8);
        }
        int tagged = 0;
        for (Map.Entry<String, String> t : tags.entrySet()) {
            twins.patchTags(t.getKey(), t.getValue());
            if (++tagged % 1000 == 0) {
                System.out.println("  tags set on " + tagged + " of " + tags.size() + " devices");
            }
        }
        System.out.printf("Imported %d device(s), %d with tags, in %d ms.%s%n", keys.size(), tags.size(),
                (System.nanoTime() - t0) / 1_000_000, keysOut == null ? "" : " Keys in " + keysOut + ".");
        return null;
    }
}
