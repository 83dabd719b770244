/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks.leaves;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's figures: each row Outpost's value, the baseline's from the same run, and their ratio; as a table or
 * as JSON ({@code -Dbench.json=true}). A value not measured is NaN, printed as {@code -}.
 */
public final class LeafReport {

    /**
     * One figure.
     *
     * @param what what it measures, with its unit
     * @param outpost the gateway's value
     * @param baseline the baseline's value
     * @param higherIsBetter whether a larger value is better (rates), for the reader
     */
    public record Row(String what, double outpost, double baseline, boolean higherIsBetter) {
        /** @return outpost / baseline, NaN if either is missing or the baseline is 0 */
        public double ratio() {
            return Double.isNaN(outpost) || Double.isNaN(baseline) || baseline == 0 ? Double.NaN : outpost / baseline;
        }
    }

    private final String title;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public LeafReport(String title) {
        this.title = title;
    }

    public LeafReport add(String what, double outpost, double baseline, boolean higherIsBetter) {
        rows.add(new Row(what, outpost, baseline, higherIsBetter));
        return this;
    }

    /** A line printed under the table (what was not measured and why). */
    public LeafReport note(String note) {
        notes.add(note);
        return this;
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** @return the table: figure, Outpost, baseline, ratio */
    public String table() {
        StringBuilder out = new StringBuilder(title).append('\n');
        out.append(String.format(Locale.ROOT, "%-48s %12s %12s %8s%n", "", "Outpost", "baseline", "ratio"));
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "%-48s %12s %12s %8s%n", r.what() + (r.higherIsBetter() ? " (^)"
                    : " (v)"), number(r.outpost(), 1), number(r.baseline(), 1), number(r.ratio(), 2)));
        }
        out.append("(^) higher is better, (v) lower is better; ratio = Outpost / baseline\n");
        notes.forEach(n -> out.append(n).append('\n'));
        return out.toString();
    }

    /** @return the same as JSON */
    public String json() {
        StringBuilder out = new StringBuilder("{\"title\": \"").append(escape(title)).append("\", \"rows\": [");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            out.append(i == 0 ? "" : ", ").append("{\"what\": \"").append(escape(r.what())).append("\", \"outpost\": ")
                    .append(jsonNumber(r.outpost())).append(", \"baseline\": ").append(jsonNumber(r.baseline()))
                    .append(", \"ratio\": ").append(jsonNumber(r.ratio())).append(", \"higherIsBetter\": ")
                    .append(r.higherIsBetter()).append('}');
        }
        out.append("], \"notes\": [");
        for (int i = 0; i < notes.size(); i++) {
            out.append(i == 0 ? "" : ", ").append('"').append(escape(notes.get(i))).append('"');
        }
        return out.append("]}").toString();
    }

    private static String number(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String jsonNumber(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "null" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
