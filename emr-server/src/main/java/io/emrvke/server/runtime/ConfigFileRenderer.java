package io.emrvke.server.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.Map;

/**
 * Renders the non-secret items of a config file in the file's own format (the content of its ConfigMap key).
 * Properties: {@code key value} lines for {@code *.conf} files (spark-defaults.conf, celeborn-defaults.conf,
 * kyuubi-defaults.conf, which their programs read as Java properties), {@code key=value} for all others
 * (zoo.cfg, *.properties). Values are escaped as Java properties require.
 */
public final class ConfigFileRenderer {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    private ConfigFileRenderer() {
    }

    public static String render(String fileName, ConfigFormat format, Map<String, String> items) {
        return switch (format) {
            case PROPERTIES -> properties(items, separatorFor(fileName));
            case XML -> hadoopXml(items);
            case YAML -> yaml(items);
            case HELM_VALUES, ENV -> throw new IllegalArgumentException(format + " files are not rendered into a ConfigMap");
        };
    }

    static String separatorFor(String fileName) {
        return fileName.endsWith(".conf") ? " " : "=";
    }

    private static String properties(Map<String, String> items, String separator) {
        StringBuilder out = new StringBuilder();
        items.forEach((k, v) -> out.append(escapeProperty(k, true)).append(separator)
                .append(escapeProperty(v, false)).append('\n'));
        return out.toString();
    }

    private static String escapeProperty(String s, boolean key) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case ' ' -> out.append(key || i == 0 ? "\\ " : " ");
                case '=', ':' -> out.append(key ? "\\" + c : String.valueOf(c));
                case '#', '!' -> out.append(i == 0 ? "\\" + c : String.valueOf(c));
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String hadoopXml(Map<String, String> items) {
        StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<configuration>\n");
        items.forEach((k, v) -> out.append("  <property>\n    <name>").append(escapeXml(k))
                .append("</name>\n    <value>").append(escapeXml(v)).append("</value>\n  </property>\n"));
        return out.append("</configuration>\n").toString();
    }

    private static String escapeXml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&apos;");
    }

    private static String yaml(Map<String, String> items) {
        try {
            return items.isEmpty() ? "{}\n" : YAML.writeValueAsString(items);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write YAML", e);
        }
    }
}
