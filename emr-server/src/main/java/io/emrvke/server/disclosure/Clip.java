package io.emrvke.server.disclosure;

import java.util.regex.Pattern;

/** A short, printable rendering of a value for messages: never the whole of a large value, no control characters. */
public final class Clip {
    public static final int DEFAULT_MAX = 64;
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private Clip() {
    }

    public static String of(String value) {
        return of(value, DEFAULT_MAX);
    }

    /** At most {@code max} characters, "..." marking a cut. */
    public static String of(String value, int max) {
        String printable = CONTROL.matcher(value).replaceAll("?");
        return printable.length() <= max ? printable : printable.substring(0, max - 3) + "...";
    }
}
