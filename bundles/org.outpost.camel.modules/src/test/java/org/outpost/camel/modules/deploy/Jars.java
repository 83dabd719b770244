/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.deploy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;

/** A bundle's manifest and entries, read as the framework (and fileinstall) reads them: with a JarInputStream. */
public record Jars(Attributes manifest, Map<String, byte[]> entries) {

    public static Jars read(byte[] jar) {
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            if (in.getManifest() == null) {
                throw new IllegalStateException("no manifest first in the jar");
            }
            Map<String, byte[]> entries = new LinkedHashMap<>();
            for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                entries.put(e.getName(), in.readAllBytes());
            }
            return new Jars(in.getManifest().getMainAttributes(), entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String header(String name) {
        return manifest.getValue(name);
    }

    public String text(String entry) {
        byte[] b = entries.get(entry);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** @return an entry parsed as namespace-aware XML */
    public Document xml(String entry) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(entries.get(entry)));
        } catch (Exception e) {
            throw new IllegalStateException(entry + " is not XML: " + e, e);
        }
    }
}
