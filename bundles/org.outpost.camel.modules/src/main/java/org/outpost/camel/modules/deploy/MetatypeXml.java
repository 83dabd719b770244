/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.deploy;

import java.util.Collection;

/**
 * The Metatype definition (1.4) of a route module's configuration PID: one attribute per placeholder of its routes,
 * typed by its default ({@link Placeholders}), required when it has none. Module twins are typed and checked by it.
 */
final class MetatypeXml {

    private MetatypeXml() {
    }

    static String of(String module, String pid, Collection<Placeholders.Placeholder> placeholders) {
        StringBuilder out = new StringBuilder();
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.append("<metatype:MetaData xmlns:metatype=\"http://www.osgi.org/xmlns/metatype/v1.4.0\">\n");
        out.append("  <OCD id=\"").append(escape(pid)).append("\" name=\"").append(escape(module))
                .append("\" description=\"").append(escape("The properties of route module " + module
                        + ": the placeholders of its routes")).append("\">\n");
        for (Placeholders.Placeholder p : placeholders) {
            out.append("    <AD id=\"").append(escape(p.name())).append("\" name=\"").append(escape(p.name()))
                    .append("\" type=\"").append(p.type().metatype()).append("\" required=\"")
                    .append(p.required()).append('"');
            if (p.defaultValue() != null && !p.defaultValue().isEmpty()) {
                // A default is a comma-separated list in Metatype: a comma in it is escaped.
                out.append(" default=\"").append(escape(p.defaultValue().replace("\\", "\\\\").replace(",", "\\,")))
                        .append('"');
            }
            out.append("/>\n");
        }
        out.append("  </OCD>\n");
        out.append("  <Designate pid=\"").append(escape(pid)).append("\">\n");
        out.append("    <Object ocdref=\"").append(escape(pid)).append("\"/>\n");
        out.append("  </Designate>\n");
        out.append("</metatype:MetaData>\n");
        return out.toString();
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\n' -> out.append("&#10;");
                case '\r' -> out.append("&#13;");
                case '\t' -> out.append("&#9;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
