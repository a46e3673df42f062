package io.emrvke.server.runtime;

import io.emrvke.server.kubernetes.Quantity;
import io.emrvke.server.kubernetes.Syntax;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The syntax rules a Kubernetes API server applies to the fields our charts fill from config values, written
 * from the API conventions and k8s.io/apimachinery's validation (pkg/util/validation, pkg/api/resource).
 * Each check answers the problem, starting with the quoted value and naming what is accepted, or empty when
 * the value is valid. Environment variable names follow the strict rule older API servers still apply (1.34
 * relaxed it), so that a value accepted here is accepted by any supported target.
 */
public final class KubernetesRules {
    public static final int DNS_LABEL_MAX = Syntax.DNS_LABEL_MAX;
    public static final int DNS_SUBDOMAIN_MAX = Syntax.DNS_SUBDOMAIN_MAX;
    public static final int LABEL_VALUE_MAX = Syntax.LABEL_VALUE_MAX;
    public static final int QUALIFIED_NAME_MAX = Syntax.QUALIFIED_NAME_MAX;
    public static final int PORT_NAME_MAX = Syntax.PORT_NAME_MAX;
    public static final int DATA_KEY_MAX = Syntax.CONFIG_KEY_MAX;
    public static final int PORT_MAX = Syntax.PORT_MAX;
    /** Shown values are clipped to this many characters: a message names a value, it does not repeat it. */
    static final int SHOWN_MAX = 64;

    /**
     * resource.Quantity as written in a chart value: sign, digits with an optional fraction, then a binary or
     * decimal suffix or exponent. Stricter than the API server's parser, which also takes e.g. {@code Gi} or
     * {@code " 1"}: such a value is a mistake, whatever the server makes of it.
     */
    private static final Pattern QUANTITY =
            Pattern.compile("([+-]?)([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    private static final Set<String> STANDARD_CONTAINER_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage");

    private KubernetesRules() {
    }

    /** A resource.Quantity: {@code 2Gi}, {@code 500m}, {@code 1.5}, {@code 1e3}. */
    public static Optional<String> quantity(String value) {
        return quantityValue(value).isPresent() ? Optional.empty() : Optional.of(quoted(value)
                + " is not a Kubernetes quantity (a number with an optional suffix, e.g. 512Mi, 2Gi, 1.5, 250m)");
    }

    /** The amount a quantity stands for ({@code 1Ki} is 1024), or empty when it is not a quantity. */
    public static Optional<BigDecimal> quantityValue(String value) {
        if (value == null || !QUANTITY.matcher(value).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Quantity.parse(value).amount());
        } catch (Quantity.Malformed e) {
            return Optional.empty(); // an exponent beyond any quantity's range
        }
    }

    /** A label value: empty, or at most 63 characters of [A-Za-z0-9-_.] starting and ending alphanumeric. */
    public static Optional<String> labelValue(String value) {
        return value.isEmpty() ? Optional.empty() : matching(value, "a label value", LABEL_VALUE_MAX,
                Syntax.QUALIFIED_NAME, "letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
    }

    /** A label or annotation key: an optional DNS subdomain prefix and '/', then a name of at most 63. */
    public static Optional<String> qualifiedName(String value) {
        int slash = value.indexOf('/');
        String name = slash < 0 ? value : value.substring(slash + 1);
        if (slash >= 0) {
            String prefix = value.substring(0, slash);
            if (prefix.isEmpty() || prefix.length() > DNS_SUBDOMAIN_MAX
                    || !Syntax.DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return Optional.of(quoted(value) + " is not a valid key: its prefix before '/' must be a DNS"
                        + " subdomain (lower-case letters, digits, '-' and '.', at most " + DNS_SUBDOMAIN_MAX + ")");
            }
        }
        if (name.length() > QUALIFIED_NAME_MAX) {
            return tooLong(value, "the name part of a key", QUALIFIED_NAME_MAX);
        }
        return Syntax.QUALIFIED_NAME.matcher(name).matches() ? Optional.empty() : Optional.of(quoted(value)
                + " is not a valid key: [prefix/]name, the name of letters, digits, '-', '_' and '.', starting and"
                + " ending with a letter or digit");
    }

    /** A DNS-1123 label: at most 63 lower-case letters, digits and '-', starting and ending alphanumeric. */
    public static Optional<String> dnsLabel(String value) {
        return matching(value, "a DNS label", DNS_LABEL_MAX, Syntax.DNS_LABEL,
                "lower-case letters, digits and '-', starting and ending with a letter or digit");
    }

    /** A DNS-1123 subdomain: DNS labels joined by '.', at most 253 characters (most object names). */
    public static Optional<String> dnsSubdomain(String value) {
        return matching(value, "a DNS subdomain", DNS_SUBDOMAIN_MAX, Syntax.DNS_SUBDOMAIN,
                "lower-case letters, digits, '-' and '.', starting and ending with a letter or digit");
    }

    /** A DNS-1035 label (Service names): a DNS label that starts with a letter. */
    public static Optional<String> dns1035Label(String value) {
        return matching(value, "a DNS-1035 label", DNS_LABEL_MAX, Syntax.DNS1035_LABEL,
                "lower-case letters, digits and '-', starting with a letter and ending with a letter or digit");
    }

    /** A container environment variable name: letters, digits, '_', '-' and '.', not starting with a digit. */
    public static Optional<String> envVarName(String value) {
        return Syntax.ENV_VAR_NAME.matcher(value).matches() ? Optional.empty() : Optional.of(quoted(value)
                + " is not a valid environment variable name: letters, digits, '_', '-' and '.', not starting"
                + " with a digit");
    }

    /** A key of ConfigMap or Secret data: at most 253 of [-._a-zA-Z0-9], not '.' or '..' or starting '..'. */
    public static Optional<String> dataKey(String value) {
        if (value.length() > DATA_KEY_MAX) {
            return tooLong(value, "a ConfigMap or Secret key", DATA_KEY_MAX);
        }
        if (!Syntax.CONFIG_KEY.matcher(value).matches() || value.equals(".") || value.startsWith("..")) {
            return Optional.of(quoted(value) + " is not a valid ConfigMap or Secret key: letters, digits, '-', '_'"
                    + " and '.', not '.' and not starting with '..'");
        }
        return Optional.empty();
    }

    /** A container port name (IANA service name): at most 15 of [-a-z0-9] with a letter, no '--', no edge '-'. */
    public static Optional<String> portName(String value) {
        boolean valid = Syntax.isPortName(value);
        return valid ? Optional.empty() : Optional.of(quoted(value) + " is not a valid port name: at most "
                + PORT_NAME_MAX + " lower-case letters, digits and '-', with at least one letter, no '--', not"
                + " starting or ending with '-'");
    }

    /** A port number: a whole number from 1 to 65535. */
    public static Optional<String> portNumber(Object value) {
        Long n = wholeNumber(value);
        return n != null && n >= 1 && n <= PORT_MAX ? Optional.empty()
                : Optional.of(quoted(value) + " is not a port number: a whole number from 1 to " + PORT_MAX);
    }

    /** A count such as replicas: a whole number from 0 to 2147483647 (int32). */
    public static Optional<String> count(Object value) {
        Long n = wholeNumber(value);
        return n != null && n >= 0 && n <= Integer.MAX_VALUE ? Optional.empty() : Optional.of(quoted(value)
                + " is not a count: a whole number from 0 to " + Integer.MAX_VALUE);
    }

    /** A container resource name: cpu, memory, ephemeral-storage, hugepages-&lt;size&gt; or domain/name. */
    public static Optional<String> containerResourceName(String value) {
        boolean standard = STANDARD_CONTAINER_RESOURCES.contains(value)
                || value.startsWith("hugepages-") && quantityValue(value.substring("hugepages-".length())).isPresent();
        boolean extended = value.contains("/") && !value.contains("kubernetes.io/")
                && qualifiedName(value).isEmpty();
        return standard || extended ? Optional.empty() : Optional.of(quoted(value) + " is not a container resource:"
                + " cpu, memory, ephemeral-storage, hugepages-<size>, or an extended resource as domain/name"
                + " (e.g. nvidia.com/gpu)");
    }

    /** A value as a message shows it: quoted when a string, clipped, control characters as '?'. */
    public static String quoted(Object value) {
        if (!(value instanceof String s)) {
            return text(value);
        }
        String printable = CONTROL.matcher(s).replaceAll("?");
        String clipped = printable.length() <= SHOWN_MAX ? printable : printable.substring(0, SHOWN_MAX - 3) + "...";
        return "\"" + clipped + "\"";
    }

    /**
     * A value as text; a decimal in plain digits (helm hands numbers to templates as float64, so a count of
     * 3000000000 comes back as 3.0E9, which is neither what the user wrote nor what a message should show).
     */
    public static String text(Object value) {
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? new BigDecimal(Double.toString(d)).toPlainString() : String.valueOf(d);
        }
        return String.valueOf(value);
    }

    private static Long wholeNumber(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return ((Number) value).longValue();
        }
        return null; // a string, a decimal or a boolean: the API server cannot decode it into an integer field
    }

    /** Empty when {@code value} has at most {@code max} characters and matches {@code pattern}. */
    private static Optional<String> matching(String value, String what, int max, Pattern pattern, String accepted) {
        if (value.length() > max) {
            return tooLong(value, what, max);
        }
        return pattern.matcher(value).matches() ? Optional.empty()
                : Optional.of(quoted(value) + " is not " + what + ": " + accepted);
    }

    private static Optional<String> tooLong(String value, String what, int max) {
        return Optional.of(quoted(value) + " is " + value.length() + " characters long; " + what + " has at most "
                + max);
    }
}
