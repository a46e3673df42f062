package io.emrvke.server.kubernetes;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The formats Kubernetes names and keys follow, as k8s.io/apimachinery's pkg/util/validation spells them (the
 * format strings are quoted verbatim in the API server's messages), and their length limits. Lengths are in
 * bytes of UTF-8, as Go's {@code len} counts them. Shared by emr-vke's own checks of rendered objects (runtime)
 * and the sandbox's API server checks (sandbox.admission), which word their messages differently.
 */
public final class Syntax {
    public static final int DNS_LABEL_MAX = 63;
    public static final int DNS_SUBDOMAIN_MAX = 253;
    public static final int LABEL_VALUE_MAX = 63;
    public static final int QUALIFIED_NAME_MAX = 63;
    public static final int PORT_NAME_MAX = 15;
    /** ConfigMap and Secret keys share the DNS subdomain's limit. */
    public static final int CONFIG_KEY_MAX = DNS_SUBDOMAIN_MAX;
    public static final int PORT_MAX = 65_535;
    /** Bytes of all annotations of one object (keys and values). */
    public static final int ANNOTATIONS_MAX_BYTES = 256 * 1024;
    /** Bytes of a ConfigMap's or Secret's data (decoded). */
    public static final int DATA_MAX_BYTES = 1024 * 1024;

    public static final String DNS_LABEL_FORMAT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    public static final String DNS_SUBDOMAIN_FORMAT = DNS_LABEL_FORMAT + "(\\." + DNS_LABEL_FORMAT + ")*";
    public static final String DNS1035_LABEL_FORMAT = "[a-z]([-a-z0-9]*[a-z0-9])?";
    public static final String QUALIFIED_NAME_FORMAT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    public static final String LABEL_VALUE_FORMAT = "(" + QUALIFIED_NAME_FORMAT + ")?";
    public static final String CONFIG_KEY_FORMAT = "[-._a-zA-Z0-9]+";
    public static final String ENV_VAR_NAME_FORMAT = "[-._a-zA-Z][-._a-zA-Z0-9]*";
    public static final String PERCENT_FORMAT = "[0-9]+%";

    public static final Pattern DNS_LABEL = Pattern.compile(DNS_LABEL_FORMAT);
    public static final Pattern DNS_SUBDOMAIN = Pattern.compile(DNS_SUBDOMAIN_FORMAT);
    public static final Pattern DNS1035_LABEL = Pattern.compile(DNS1035_LABEL_FORMAT);
    public static final Pattern QUALIFIED_NAME = Pattern.compile(QUALIFIED_NAME_FORMAT);
    public static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FORMAT);
    public static final Pattern CONFIG_KEY = Pattern.compile(CONFIG_KEY_FORMAT);
    public static final Pattern ENV_VAR_NAME = Pattern.compile(ENV_VAR_NAME_FORMAT);
    public static final Pattern PERCENT = Pattern.compile(PERCENT_FORMAT);
    /** A port name's characters; it must also hold a letter, no "--" and no '-' at either end. */
    public static final Pattern PORT_NAME_CHARS = Pattern.compile("[-a-z0-9]+");
    public static final Pattern HAS_LOWER_LETTER = Pattern.compile(".*[a-z].*", Pattern.DOTALL);

    private Syntax() {
    }

    /** The length Go's {@code len} gives a string: its UTF-8 bytes. */
    public static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    public static boolean isDnsLabel(String s) {
        return bytes(s) <= DNS_LABEL_MAX && DNS_LABEL.matcher(s).matches();
    }

    public static boolean isDnsSubdomain(String s) {
        return bytes(s) <= DNS_SUBDOMAIN_MAX && DNS_SUBDOMAIN.matcher(s).matches();
    }

    public static boolean isDns1035Label(String s) {
        return bytes(s) <= DNS_LABEL_MAX && DNS1035_LABEL.matcher(s).matches();
    }

    public static boolean isLabelValue(String s) {
        return bytes(s) <= LABEL_VALUE_MAX && LABEL_VALUE.matcher(s).matches();
    }

    /** A container port name (an IANA service name). */
    public static boolean isPortName(String s) {
        return bytes(s) <= PORT_NAME_MAX && PORT_NAME_CHARS.matcher(s).matches()
                && HAS_LOWER_LETTER.matcher(s).matches() && !s.contains("--")
                && !s.startsWith("-") && !s.endsWith("-");
    }
}
