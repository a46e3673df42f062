package io.emrvke.server.catalog;

import io.emrvke.api.ApiException;
import io.emrvke.api.ErrorCode;
import io.emrvke.server.disclosure.Clip;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Case-insensitive lookups by name, and the "not one of ...; accepted: ..." message they fail with. */
final class Names {
    private Names() {
    }

    static <T> Optional<T> find(List<T> items, Function<T, String> name, String wanted) {
        if (wanted == null) {
            return Optional.empty();
        }
        return items.stream().filter(i -> name.apply(i).equalsIgnoreCase(wanted.trim())).findFirst();
    }

    static <T> T require(List<T> items, Function<T, String> name, ErrorCode error, String fieldName,
            String wanted, String notWhat) {
        if (wanted == null || wanted.isBlank()) {
            throw ErrorCode.INVALID_PARAMETER.exception(fieldName + " must not be empty.");
        }
        return find(items, name, wanted).orElseThrow(() -> notFound(error, fieldName, wanted, notWhat,
                items.stream().map(name).toList()));
    }

    static ApiException notFound(ErrorCode error, String fieldName, String wanted, String notWhat,
            List<String> accepted) {
        return error.exception(fieldName + " '" + Clip.of(wanted) + "' is not " + notWhat
                + "; accepted: " + String.join(", ", accepted) + ".");
    }
}
