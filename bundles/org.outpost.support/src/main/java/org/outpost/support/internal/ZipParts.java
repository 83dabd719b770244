/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.support.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The zip being written: each part is one entry, and a part that fails is written as {@code <name>.error.txt} saying
 * why, so that one broken service does not cost the whole bundle. Every JSON part goes through the redactor.
 */
final class ZipParts implements AutoCloseable {

    /** Writes a part's text. */
    @FunctionalInterface
    interface TextPart {
        void write(Writer out) throws Exception;
    }

    /** Makes a part's JSON (any object Jackson writes; records, maps, lists). */
    @FunctionalInterface
    interface JsonPart {
        Object value() throws Exception;
    }

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    private final ZipOutputStream zip;
    private final Redactor redactor;
    private final List<String> names = new ArrayList<>();

    ZipParts(OutputStream out, Redactor redactor) {
        // The caller's stream stays open: close() finishes the zip only.
        this.zip = new ZipOutputStream(new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        });
        this.redactor = redactor;
    }

    /** Writes a text part, or its error. */
    void text(String name, TextPart part) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        Writer w = new OutputStreamWriter(zip, StandardCharsets.UTF_8);
        Exception failed = null;
        try {
            part.write(w);
        } catch (Exception e) {
            failed = e;
        }
        w.flush();
        zip.closeEntry();
        names.add(name);
        if (failed != null) {
            error(name, failed);
        }
    }

    /** Writes a JSON part, redacted, or its error. */
    void json(String name, JsonPart part) throws IOException {
        byte[] bytes;
        try {
            JsonNode tree = JSON.valueToTree(part.value());
            bytes = JSON.writeValueAsBytes(redactor.json(tree));
        } catch (Exception e) {
            error(name, e);
            return;
        }
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
        names.add(name);
    }

    private void error(String name, Exception e) throws IOException {
        String entry = name + ".error.txt";
        zip.putNextEntry(new ZipEntry(entry));
        String why = e instanceof IllegalStateException ? e.getMessage() : e.toString();
        zip.write((name + " could not be collected: " + redactor.lines(String.valueOf(why)) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
        names.add(entry);
    }

    List<String> names() {
        return List.copyOf(names);
    }

    @Override
    public void close() throws IOException {
        zip.finish();
        zip.flush();
    }
}
