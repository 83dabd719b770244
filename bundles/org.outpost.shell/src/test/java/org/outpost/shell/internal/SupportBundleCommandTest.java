/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.commons.UserFiles;
import org.outpost.support.api.SupportBundles;

class SupportBundleCommandTest {

    @TempDir
    Path dir;
    private final List<SupportBundles.Request> requests = new ArrayList<>();

    private SupportBundleCommand command(Object... options) throws Exception {
        SupportBundles bundles = (request, out) -> {
            requests.add(request);
            ZipOutputStream zip = new ZipOutputStream(out);
            for (String name : List.of("README.txt", "checks.json.error.txt")) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(name.getBytes(StandardCharsets.UTF_8));
            }
            zip.finish();
            return List.of("README.txt", "checks.json.error.txt");
        };
        Session session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (p, m, a) -> m.getName().equals("get") && UserFiles.CWD_VARIABLE.equals(a[0]) ? dir.toString() : null);
        SupportBundleCommand c = new SupportBundleCommand();
        set(c, "bundles", bundles);
        set(c, "session", session);
        for (int i = 0; i < options.length; i += 2) {
            set(c, (String) options[i], options[i + 1]);
        }
        return c;
    }

    private static void set(Object target, String field, Object value) throws Exception {
        var f = target.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }

    private static String run(SupportBundleCommand c) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            c.execute();
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theBundleIsWrittenOwnerOnlyWhereAskedAndThePartsNotCollectedAreNamed() throws Exception {
        String printed = run(command("output", "gw.zip", "since", "2h"));
        Path zip = dir.resolve("gw.zip");
        assertThat(zip).exists();
        assertThat(Files.getPosixFilePermissions(zip)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(printed).contains(zip.toString(), "checks.json", "share the file with care");
        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r.since()).isNotNull();
            assertThat(r.until()).isNull();
            assertThat(r.edgeRuntimeOnly()).isFalse();
        });
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("gw.zip");
        }
    }

    @Test
    void aWrongTimeOrFolderIsTheOperatorsError() throws Exception {
        assertThatThrownBy(() -> run(command("since", "yesterday"))).isInstanceOf(CommandException.class)
                .hasMessageContaining("is not a time");
        assertThatThrownBy(() -> run(command("output", "nope/x.zip"))).isInstanceOf(CommandException.class)
                .hasMessageContaining("does not exist");
        String json = run(command("output", "b.zip", "json", true));
        assertThat(json).contains("\"entries\" : 2", "\"notCollected\" : [ \"checks.json\" ]");
    }
}
