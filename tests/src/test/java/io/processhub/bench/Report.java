package io.processhub.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's results: rows of the table (measurement, target, measured value, PASS / MISS / info) and
 * the raw figures behind them, printed as a plain-text table, as Markdown and as JSON.
 */
final class Report {
    /** One line of the table; {@code pass} is null for a figure without a target. */
    static final class Row {
        final String section;
        final String metric;
        final String target;
        final String measured;
        final Boolean pass;

        Row(String section, String metric, String target, String measured, Boolean pass) {
            this.section = section;
            this.metric = metric;
            this.target = target;
            this.measured = measured;
            this.pass = pass;
        }

        String status() {
            return pass == null ? "info" : pass ? "PASS" : "MISS";
        }
    }

    final List<Row> rows = new ArrayList<>();
    /** Raw figures by section, written to the JSON file. */
    final Map<String, Object> data = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();

    void row(String section, String metric, String target, String measured, Boolean pass) {
        rows.add(new Row(section, metric, target, measured, pass));
    }

    void info(String section, String metric, String measured) {
        rows.add(new Row(section, metric, "-", measured, null));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> section(String name) {
        return (Map<String, Object>)data.computeIfAbsent(name, k -> new LinkedHashMap<String, Object>());
    }

    /** Rows in the order of the issue's sections (stable within a section). */
    void sort() {
        rows.sort(java.util.Comparator.comparing(r -> r.section));
    }

    String table() {
        String[] head = {"#", "measurement", "target", "measured", "result"};
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++)
            w[i] = head[i].length();
        for (Row r : rows) {
            String[] c = cells(r);
            for (int i = 0; i < c.length; i++)
                w[i] = Math.max(w[i], c[i].length());
        }
        StringBuilder sb = new StringBuilder();
        String line = sep(w);
        sb.append(line).append(fmt(head, w)).append(line);
        String prev = null;
        for (Row r : rows) {
            if (prev != null && !prev.equals(r.section))
                sb.append(line);
            sb.append(fmt(cells(r), w));
            prev = r.section;
        }
        sb.append(line);
        return sb.toString();
    }

    String markdown() {
        StringBuilder sb = new StringBuilder("| # | measurement | target | measured | result |\n|---|---|---|---|---|\n");
        for (Row r : rows) {
            String[] c = cells(r);
            String status = r.pass == null ? "info" : r.pass ? "PASS" : "**MISS**";
            sb.append("| ").append(c[0]).append(" | ").append(c[1]).append(" | ").append(c[2]).append(" | ")
                .append(c[3]).append(" | ").append(status).append(" |\n");
        }
        for (String note : notes)
            sb.append("\nNote: ").append(note).append('\n');
        return sb.toString();
    }

    private static String[] cells(Row r) {
        return new String[] {r.section, r.metric, r.target, r.measured, r.status()};
    }

    private static String sep(int[] w) {
        StringBuilder sb = new StringBuilder("+");
        for (int x : w)
            sb.append("-".repeat(x + 2)).append('+');
        return sb.append('\n').toString();
    }

    private static String fmt(String[] c, int[] w) {
        StringBuilder sb = new StringBuilder("|");
        for (int i = 0; i < c.length; i++) {
            boolean right = i == 3;
            String pad = " ".repeat(w[i] - c[i].length());
            sb.append(' ').append(right ? pad + c[i] : c[i] + pad).append(" |");
        }
        return sb.append('\n').toString();
    }

    String json() {
        Map<String, Object> root = new LinkedHashMap<>(data);
        List<Object> table = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("section", r.section);
            m.put("metric", r.metric);
            m.put("target", r.target);
            m.put("measured", r.measured);
            m.put("result", r.status());
            table.add(m);
        }
        root.put("table", table);
        root.put("notes", notes);
        StringBuilder sb = new StringBuilder();
        write(sb, root, "");
        return sb.append('\n').toString();
    }

    @SuppressWarnings("unchecked")
    private static void write(StringBuilder sb, Object v, String indent) {
        if (v == null)
            sb.append("null");
        else if (v instanceof Map) {
            Map<String, Object> m = (Map<String, Object>)v;
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append("{\n");
            int i = 0;
            for (Map.Entry<String, Object> e : m.entrySet()) {
                sb.append(indent).append("  ");
                string(sb, e.getKey());
                sb.append(": ");
                write(sb, e.getValue(), indent + "  ");
                sb.append(++i < m.size() ? ",\n" : "\n");
            }
            sb.append(indent).append('}');
        }
        else if (v instanceof Collection) {
            Collection<Object> c = (Collection<Object>)v;
            if (c.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append("[\n");
            int i = 0;
            for (Object o : c) {
                sb.append(indent).append("  ");
                write(sb, o, indent + "  ");
                sb.append(++i < c.size() ? ",\n" : "\n");
            }
            sb.append(indent).append(']');
        }
        else if (v instanceof Double || v instanceof Float) {
            double d = ((Number)v).doubleValue();
            sb.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.4f", d) : "null");
        }
        else if (v instanceof Number || v instanceof Boolean)
            sb.append(v);
        else
            string(sb, String.valueOf(v));
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (ch < 0x20)
                        sb.append(String.format("\\u%04x", (int)ch));
                    else
                        sb.append(ch);
            }
        }
        sb.append('"');
    }
}
