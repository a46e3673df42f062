package io.emrvke.server.sandbox.admission;

import static io.emrvke.server.kubernetes.Syntax.bytes;

import io.emrvke.server.kubernetes.Syntax;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * k8s.io/apimachinery's format checks (pkg/util/validation, pkg/api/validation/path) with their messages word
 * for word: each answers the list of messages for the rules a value breaks, empty when it is valid.
 */
final class Formats {
    /** A name rule: (name, is it a generateName prefix) → messages. */
    interface NameRule {
        List<String> check(String name, boolean prefix);
    }

    static final NameRule DNS_SUBDOMAIN_NAME = (name, prefix) -> dnsSubdomain(prefix ? maskTrailingDash(name) : name);
    static final NameRule DNS_LABEL_NAME = (name, prefix) -> dnsLabel(prefix ? maskTrailingDash(name) : name);
    static final NameRule DNS1035_LABEL_NAME = (name, prefix) -> dns1035Label(prefix ? maskTrailingDash(name) : name);
    static final NameRule PATH_SEGMENT_NAME = (name, prefix) -> prefix ? pathSegmentPrefix(name) : pathSegment(name);

    private static final String QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and"
            + " must start and end with an alphanumeric character";
    private static final String LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric"
            + " characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private static final String DNS_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric"
            + " characters or '-', and must start and end with an alphanumeric character";
    private static final String DNS_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case"
            + " alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    private static final String DNS1035_LABEL_MSG = "a DNS-1035 label must consist of lower case alphanumeric"
            + " characters or '-', start with an alphabetic character, and end with an alphanumeric character";
    private static final String CONFIG_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-',"
            + " '_' or '.'";
    private static final String PERCENT_MSG = "a valid percent string must be a numeric string followed by an"
            + " ending '%'";
    private static final String RELAXED_ENV_VAR_MSG = "a valid environment variable name must consist only of"
            + " printable ASCII characters other than '='";

    private Formats() {
    }

    static List<String> qualifiedName(String value) {
        List<String> errs = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            name = parts[1];
            if (prefix.isEmpty()) {
                errs.add("prefix part " + emptyError());
            } else {
                dnsSubdomain(prefix).forEach(m -> errs.add("prefix part " + m));
            }
        } else {
            errs.add("a qualified name " + regexError(QUALIFIED_NAME_MSG, Syntax.QUALIFIED_NAME_FORMAT, "MyName",
                    "my.name", "123-abc") + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
            return errs;
        }
        if (name.isEmpty()) {
            errs.add("name part " + emptyError());
        } else if (bytes(name) > Syntax.QUALIFIED_NAME_MAX) {
            errs.add("name part " + maxLenError(Syntax.QUALIFIED_NAME_MAX));
        }
        if (!Syntax.QUALIFIED_NAME.matcher(name).matches()) {
            errs.add("name part " + regexError(QUALIFIED_NAME_MSG, Syntax.QUALIFIED_NAME_FORMAT, "MyName", "my.name",
                    "123-abc"));
        }
        return errs;
    }

    static List<String> labelValue(String value) {
        List<String> errs = new ArrayList<>();
        if (bytes(value) > Syntax.LABEL_VALUE_MAX) {
            errs.add(maxLenError(Syntax.LABEL_VALUE_MAX));
        }
        if (!Syntax.LABEL_VALUE.matcher(value).matches()) {
            errs.add(regexError(LABEL_VALUE_MSG, Syntax.LABEL_VALUE_FORMAT, "MyValue", "my_value", "12345"));
        }
        return errs;
    }

    static List<String> dnsLabel(String value) {
        List<String> errs = new ArrayList<>();
        if (bytes(value) > Syntax.DNS_LABEL_MAX) {
            errs.add(maxLenError(Syntax.DNS_LABEL_MAX));
        }
        if (!Syntax.DNS_LABEL.matcher(value).matches()) {
            errs.add(Syntax.DNS_SUBDOMAIN.matcher(value).matches() ? "must not contain dots"
                    : regexError(DNS_LABEL_MSG, Syntax.DNS_LABEL_FORMAT, "my-name", "123-abc"));
        }
        return errs;
    }

    static List<String> dnsSubdomain(String value) {
        return lengthAndFormat(value, Syntax.DNS_SUBDOMAIN_MAX, Syntax.DNS_SUBDOMAIN,
                regexError(DNS_SUBDOMAIN_MSG, Syntax.DNS_SUBDOMAIN_FORMAT, "example.com"));
    }

    static List<String> dns1035Label(String value) {
        return lengthAndFormat(value, Syntax.DNS_LABEL_MAX, Syntax.DNS1035_LABEL,
                regexError(DNS1035_LABEL_MSG, Syntax.DNS1035_LABEL_FORMAT, "my-name", "abc-123"));
    }

    static List<String> configMapKey(String value) {
        List<String> errs = lengthAndFormat(value, Syntax.CONFIG_KEY_MAX, Syntax.CONFIG_KEY,
                regexError(CONFIG_KEY_MSG, Syntax.CONFIG_KEY_FORMAT, "key.name", "KEY_NAME", "key-name"));
        if (value.equals(".")) {
            errs.add("must not be '.'");
        } else if (value.equals("..")) {
            errs.add("must not be '..'");
        } else if (value.startsWith("..")) {
            errs.add("must not start with '..'");
        }
        return errs;
    }

    /** IsRelaxedEnvVarName (Kubernetes 1.34 takes any printable ASCII but '='). */
    static List<String> envVarName(String value) {
        List<String> errs = new ArrayList<>();
        if (value.isEmpty()) {
            errs.add("environment variable name " + emptyError());
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0x7e || c < 0x20 || c == '=') {
                errs.add(RELAXED_ENV_VAR_MSG);
                break;
            }
        }
        return errs;
    }

    static List<String> portName(String port) {
        List<String> errs = new ArrayList<>();
        if (bytes(port) > Syntax.PORT_NAME_MAX) {
            errs.add(maxLenError(Syntax.PORT_NAME_MAX));
        }
        if (!Syntax.PORT_NAME_CHARS.matcher(port).matches()) {
            errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (!Syntax.HAS_LOWER_LETTER.matcher(port).matches()) {
            errs.add("must contain at least one letter (a-z)");
        }
        if (port.contains("--")) {
            errs.add("must not contain consecutive hyphens");
        }
        if (!port.isEmpty() && (port.startsWith("-") || port.endsWith("-"))) {
            errs.add("must not begin or end with a hyphen");
        }
        return errs;
    }

    static List<String> portNumber(long port) {
        return port >= 1 && port <= Syntax.PORT_MAX ? List.of() : List.of(inclusiveRangeError(1, Syntax.PORT_MAX));
    }

    static List<String> percent(String value) {
        return Syntax.PERCENT.matcher(value).matches() ? List.of()
                : List.of(regexError(PERCENT_MSG, Syntax.PERCENT_FORMAT, "1%", "93%"));
    }

    /** path.IsValidPathSegmentName: the name is one segment of a URL path. */
    static List<String> pathSegment(String name) {
        if (name.equals(".") || name.equals("..")) {
            return List.of("may not be '" + name + "'");
        }
        return pathSegmentPrefix(name);
    }

    private static List<String> pathSegmentPrefix(String name) {
        List<String> errs = new ArrayList<>();
        for (String illegal : List.of("/", "%")) {
            if (name.contains(illegal)) {
                errs.add("may not contain '" + illegal + "'");
            }
        }
        return errs;
    }

    static String inclusiveRangeError(long lo, long hi) {
        return "must be between " + lo + " and " + hi + ", inclusive";
    }

    static String emptyError() {
        return "must be non-empty";
    }

    /**
     * What a generateName prefix is checked as: Go's maskTrailingDash puts "a" in place of the last two
     * characters (sic) when the prefix ends with '-', so that {@code web-} passes as {@code wea}.
     */
    static String maskTrailingDash(String name) {
        if (bytes(name) > 1 && name.endsWith("-")) {
            return name.substring(0, name.length() - 2) + "a";
        }
        return name;
    }

    private static List<String> lengthAndFormat(String value, int max, Pattern format, String formatError) {
        List<String> errs = new ArrayList<>();
        if (bytes(value) > max) {
            errs.add(maxLenError(max));
        }
        if (!format.matcher(value).matches()) {
            errs.add(formatError);
        }
        return errs;
    }

    private static String maxLenError(int length) {
        return "must be no more than " + length + " characters";
    }

    private static String regexError(String msg, String format, String... examples) {
        StringBuilder out = new StringBuilder(msg).append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            out.append(i > 0 ? " or " : "").append('\'').append(examples[i]).append("', ");
        }
        return out.append("regex used for validation is '").append(format).append("')").toString();
    }
}
