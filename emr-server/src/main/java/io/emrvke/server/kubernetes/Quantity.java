package io.emrvke.server.kubernetes;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;

/**
 * A resource quantity read as k8s.io/apimachinery's resource.ParseQuantity reads it, with its canonical text
 * as Quantity.String() writes it (what the API server shows in messages and stores): {@code 1.5} is
 * {@code 1500m}, {@code 1024Mi} is {@code 1Gi}; text that was already canonical is kept as written.
 *
 * @param amount the value, rounded away from zero to nanos as the API server rounds it
 * @param format how the text is written back: decimal SI suffixes, binary SI suffixes, or an exponent
 * @param text   the canonical text
 */
public record Quantity(BigDecimal amount, Format format, String text) {
    /** How a quantity is written. */
    public enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

    /** The regular expression the API server's "cannot be handled" message quotes. */
    public static final String FORMAT_REGEX = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";
    public static final String FORMAT_WRONG = "quantities must match the regular expression '" + FORMAT_REGEX + "'";
    public static final String NUMERIC_WRONG = "unable to parse numeric part of quantity";
    public static final String SUFFIX_WRONG = "unable to parse quantity's suffix";

    private static final int NANO = -9;
    private static final int MAX_INT64_FACTORS = 18;
    private static final String SUFFIX_CHARS = "eEinumkKMGTP";
    private static final BigDecimal MAX_ALLOWED = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final Map<String, Integer> DECIMAL = Map.of("n", -9, "u", -6, "m", -3, "", 0, "k", 3, "M", 6,
            "G", 9, "T", 12, "P", 15, "E", 18);
    private static final Map<String, Integer> BINARY = Map.of("Ki", 10, "Mi", 20, "Gi", 30, "Ti", 40, "Pi", 50,
            "Ei", 60);

    /** Why a text is not a quantity, in the API server's words. */
    public static final class Malformed extends Exception {
        public Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** The quantity a JSON value decodes to (null is zero), or empty when it is none. */
    public static Optional<Quantity> ofJson(String rawText) {
        try {
            return Optional.of(parse(rawText.strip()));
        } catch (Malformed e) {
            return Optional.empty();
        }
    }

    /** resource.ParseQuantity. */
    public static Quantity parse(String str) throws Malformed {
        if (str.isEmpty()) {
            throw new Malformed(FORMAT_WRONG);
        }
        if (str.equals("0")) {
            return new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI, "0");
        }
        Parts p = Parts.of(str);
        Suffix s = Suffix.of(p.suffix).orElseThrow(() -> new Malformed(SUFFIX_WRONG));
        try {
            Optional<Quantity> exact = fastPath(str, p, s);
            return exact.isPresent() ? exact.get() : slowPath(p, s);
        } catch (ArithmeticException e) {
            throw new Malformed(NUMERIC_WRONG); // an exponent beyond what a decimal can hold
        }
    }

    /** A quantity of a known amount written canonically (for values the API server computes itself). */
    public static Quantity of(BigDecimal amount, Format format) {
        return new Quantity(amount, format, canonical(amount, format));
    }

    public int compareTo(Quantity other) {
        return amount.compareTo(other.amount);
    }

    /** Quantity.MilliValue: thousandths, rounded away from zero. */
    public BigInteger milliValue() {
        return amount.movePointRight(3).setScale(0, RoundingMode.UP).toBigIntegerExact();
    }

    // ------------------------------------------------------------------ parsing

    /** parseQuantityString: sign, digits, fraction, then suffix text. */
    private record Parts(boolean positive, String value, String num, String denom, String suffix) {
        static Parts of(String str) throws Malformed {
            boolean positive = true;
            int pos = 0;
            int end = str.length();
            if (str.charAt(0) == '-' || str.charAt(0) == '+') {
                positive = str.charAt(0) != '-';
                pos++;
            }
            while (pos < end && str.charAt(pos) == '0') {
                pos++;
            }
            if (pos >= end) {
                return new Parts(positive, "0", "0", "", "");
            }
            int numStart = pos;
            while (pos < end && isDigit(str.charAt(pos))) {
                pos++;
            }
            String num = str.substring(numStart, pos);
            if (pos >= end) {
                return new Parts(positive, str, num, "", "");
            }
            num = num.isEmpty() ? "0" : num;
            String denom = "";
            if (str.charAt(pos) == '.') {
                int denomStart = ++pos;
                while (pos < end && isDigit(str.charAt(pos))) {
                    pos++;
                }
                denom = str.substring(denomStart, pos);
                if (pos >= end) {
                    return new Parts(positive, str, num, denom, "");
                }
            }
            String value = str.substring(0, pos);
            int suffixStart = pos;
            while (pos < end && SUFFIX_CHARS.indexOf(str.charAt(pos)) >= 0) {
                pos++;
            }
            if (pos < end && (str.charAt(pos) == '-' || str.charAt(pos) == '+')) {
                pos++;
            }
            while (pos < end && isDigit(str.charAt(pos))) {
                pos++;
            }
            if (pos < end) {
                throw new Malformed(FORMAT_WRONG);
            }
            return new Parts(positive, value, num, denom, str.substring(suffixStart));
        }
    }

    /** A suffix's base and exponent: 10^3 for k, 2^30 for Gi, 10^n for e&lt;n&gt;. */
    private record Suffix(int base, int exponent, Format format) {
        static Optional<Suffix> of(String s) {
            if (DECIMAL.containsKey(s)) {
                return Optional.of(new Suffix(10, DECIMAL.get(s), Format.DECIMAL_SI));
            }
            if (BINARY.containsKey(s)) {
                return Optional.of(new Suffix(2, BINARY.get(s), Format.BINARY_SI));
            }
            if (s.length() > 1 && (s.charAt(0) == 'e' || s.charAt(0) == 'E')) {
                try {
                    long exponent = Long.parseLong(s.substring(1));
                    return Optional.of(new Suffix(10, (int) exponent, Format.DECIMAL_EXPONENT));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
            return Optional.empty();
        }
    }

    /** The int64 path of ParseQuantity: exact amounts, keeping text that is already canonical as written. */
    private static Optional<Quantity> fastPath(String str, Parts p, Suffix s) throws Malformed {
        int precision;
        int scale = 0;
        long mantissa = 1;
        if (s.format == Format.BINARY_SI) {
            if (s.exponent < 0 || !p.denom.isEmpty()) {
                return Optional.empty();
            }
            mantissa = 1L << s.exponent;
            precision = 15 - p.num.length() - (int) ((float) s.exponent * 3 / 10) - 1;
        } else {
            scale = s.exponent;
            precision = MAX_INT64_FACTORS - (p.num.length() + p.denom.length());
        }
        if (precision < 0) {
            return Optional.empty();
        }
        scale -= p.denom.length();
        if (scale < NANO) {
            return Optional.empty();
        }
        String shifted = p.num + p.denom;
        long value;
        try {
            value = Long.parseLong(shifted);
        } catch (NumberFormatException e) {
            throw new Malformed(NUMERIC_WRONG);
        }
        long result;
        try {
            result = Math.multiplyExact(value, mantissa);
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
        BigDecimal amount = BigDecimal.valueOf(p.positive ? result : -result).scaleByPowerOfTen(scale);
        boolean canonical = s.format == Format.BINARY_SI
                ? s.exponent % 10 == 0 && (value & 0x07) != 0
                : scale % 3 == 0 && !shifted.endsWith("000") && shifted.charAt(0) != '0';
        String text = amount.signum() == 0 ? "0" : canonical ? str : canonical(amount, s.format);
        return Optional.of(new Quantity(amount, s.format, text));
    }

    /** The arbitrary-precision path: rounded away from zero to nanos; binary amounts capped at 2^63-1. */
    private static Quantity slowPath(Parts p, Suffix s) throws Malformed {
        BigDecimal amount;
        try {
            amount = new BigDecimal(p.value.endsWith(".") ? p.value + "0" : p.value);
        } catch (NumberFormatException e) {
            throw new Malformed(NUMERIC_WRONG);
        }
        amount = s.base == 10 ? amount.scaleByPowerOfTen(s.exponent)
                : amount.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(s.exponent)));
        boolean negative = amount.signum() < 0;
        amount = amount.abs();
        if (amount.signum() != 0 && amount.scale() > -NANO) {
            amount = amount.setScale(-NANO, RoundingMode.UP);
        }
        Format format = s.format;
        if (format == Format.BINARY_SI && amount.compareTo(MAX_ALLOWED) > 0) {
            amount = MAX_ALLOWED;
        }
        if (format == Format.BINARY_SI && amount.compareTo(BigDecimal.ONE) < 0 && amount.signum() > 0) {
            format = Format.DECIMAL_SI;
        }
        amount = negative ? amount.negate() : amount;
        return of(amount, format);
    }

    // ------------------------------------------------------------------ writing

    /** Quantity.CanonicalizeBytes. */
    private static String canonical(BigDecimal amount, Format format) {
        if (amount.signum() == 0) {
            return "0";
        }
        if (format == Format.BINARY_SI) {
            boolean small = amount.abs().compareTo(BigDecimal.valueOf(1024)) < 0;
            boolean whole = amount.stripTrailingZeros().scale() <= 0;
            if (!small && whole) {
                return binary(amount.toBigIntegerExact());
            }
            format = Format.DECIMAL_SI;
        }
        BigDecimal stripped = amount.stripTrailingZeros();
        BigInteger number = stripped.unscaledValue();
        int exponent = -stripped.scale();
        while (exponent % 3 != 0) {
            number = number.multiply(BigInteger.TEN);
            exponent--;
        }
        return number + decimalSuffix(exponent, format);
    }

    private static String decimalSuffix(int exponent, Format format) {
        if (format == Format.DECIMAL_EXPONENT) {
            return exponent == 0 ? "" : "e" + exponent;
        }
        for (Map.Entry<String, Integer> e : DECIMAL.entrySet()) {
            if (e.getValue() == exponent) {
                return e.getKey();
            }
        }
        return ""; // beyond E: Go writes the bare number
    }

    private static String binary(BigInteger value) {
        BigInteger number = value;
        int times = 0;
        BigInteger k = BigInteger.valueOf(1024);
        while (number.abs().compareTo(k) >= 0 && number.mod(k).signum() == 0) {
            number = number.divide(k);
            times++;
        }
        for (Map.Entry<String, Integer> e : BINARY.entrySet()) {
            if (e.getValue() == times * 10) {
                return number + e.getKey();
            }
        }
        return number.toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
