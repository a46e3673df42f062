package io.emrvke.server.catalog;

import io.emrvke.server.disclosure.Clip;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Case-insensitive lookups by name, and the "not one of ...; accepted: ..." message they fail with
 * (an empty name is a {@link RefusedValueException}; an unknown one, what {@code error} makes of the message).
 */
final class Names {
    private Names() {
    }

    static <T> Optional<T> find(List<T> items, Function<T, String> name, String wanted) {
        if (wanted == null) {
            return Optional.empty();
        }
        return items.stream().filter(i -> name.apply(i).equalsIgnoreCase(wanted.trim())).findFirst();
    }

    static <T> T require(List<T> items, Function<T, String> name, Function<String, RuntimeException> error,
            String fieldName, String wanted, String notWhat) {
        if (wanted == null || wanted.isBlank()) {
            throw new RefusedValueException(fieldName + " must not be empty.");
        }
        return find(items, name, wanted).orElseThrow(() -> notFound(error, fieldName, wanted, notWhat,
                items.stream().map(name).toList()));
    }

    private static RuntimeException notFound(Function<String, RuntimeException> error, String fieldName,
            String wanted, String notWhat, List<String> accepted) {
        return error.apply(fieldName + " '" + Clip.of(wanted) + "' is not " + notWhat
                + "; accepted: " + String.join(", ", accepted) + ".");
    }
}
