package io.emrvke.server.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * A WHERE clause built from optional filters, with its named bindings; the same clause serves the
 * page query and its count so the two always agree.
 */
public final class SqlFilter {
    private final List<String> conditions = new ArrayList<>();
    private final Map<String, Object> bindings = new LinkedHashMap<>();

    public SqlFilter where(String condition) {
        conditions.add(condition);
        return this;
    }

    public SqlFilter where(String condition, String name, Object value) {
        conditions.add(condition);
        bindings.put(name, value);
        return this;
    }

    /** {@code column IN (...)} over the values; nothing when {@code values} is empty. */
    public SqlFilter whereIn(String column, String prefix, Collection<?> values) {
        if (values.isEmpty()) {
            return this;
        }
        List<String> names = new ArrayList<>();
        int i = 0;
        for (Object v : values) {
            String name = prefix + i++;
            names.add(":" + name);
            bindings.put(name, v);
        }
        conditions.add(column + " IN (" + String.join(", ", names) + ")");
        return this;
    }

    /** Case-insensitive substring match; LIKE wildcards in the text match themselves. */
    public SqlFilter whereContainsIgnoreCase(String column, String name, String text) {
        String escaped = text.toLowerCase(Locale.ROOT)
                .replace("!", "!!").replace("%", "!%").replace("_", "!_");
        return where("LOWER(" + column + ") LIKE :" + name + " ESCAPE '!'", name, "%" + escaped + "%");
    }

    public String clause() {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    public <S extends SqlStatement<S>> S bind(S statement) {
        bindings.forEach(statement::bind);
        return statement;
    }
}
