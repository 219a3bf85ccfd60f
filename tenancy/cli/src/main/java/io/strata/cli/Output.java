package io.strata.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Human-readable renderings of the admin API's JSON: tables for lists, {@code key: value} lines for documents. */
final class Output {
    private Output() {}

    /** A column: its header and the field of each row object it shows. */
    record Column(String header, String field) {}

    static void json(PrintStream out, JsonNode node) {
        if (node.isMissingNode()) {
            return;
        }
        try {
            out.println(AdminClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Left-aligned columns two spaces apart; an array's rows, or one row for an object. */
    static void table(PrintStream out, JsonNode rows, List<Column> columns) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(columns.stream().map(Column::header).toList());
        for (JsonNode row : rows.isArray() ? rows : List.of(rows)) {
            cells.add(columns.stream().map(column -> text(row.path(column.field()))).toList());
        }
        int[] widths = new int[columns.size()];
        for (List<String> line : cells) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        for (List<String> line : cells) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                text.append(i == widths.length - 1 ? line.get(i) : pad(line.get(i), widths[i] + 2));
            }
            out.println(text.toString().stripTrailing());
        }
    }

    /** One {@code key: value} line per leaf; nested objects' keys joined with dots. */
    static void fields(PrintStream out, JsonNode document) {
        fields(out, "", document);
    }

    private static void fields(PrintStream out, String prefix, JsonNode node) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                fields(out, prefix + field.getKey() + ".", field.getValue());
            }
        } else if (!prefix.isEmpty()) {
            out.println(prefix.substring(0, prefix.length() - 1) + ": " + text(node));
        }
    }

    /** A cell: text as is, arrays comma-separated, null or absent as {@code -}. */
    static String text(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return "-";
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(text(item)));
            return items.isEmpty() ? "-" : String.join(",", items);
        }
        if (node.isFloatingPointNumber()) {
            // amounts such as 0.000036 (dollars), never 3.6E-5
            return node.decimalValue().stripTrailingZeros().toPlainString();
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
