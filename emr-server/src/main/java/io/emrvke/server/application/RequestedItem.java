package io.emrvke.server.application;

import io.emrvke.server.disclosure.Clip;
import java.util.ArrayList;
import java.util.List;

/**
 * One config item of a request with the field it came in (e.g. {@code Applications.2.ApplicationConfigs.1} or
 * {@code ActionParams.1.Value[2]}), so that a check finding its value unusable can name it.
 */
public record RequestedItem(ConfigItem item, String field) {

    /** The items of a request list field, in request order: the i-th is {@code listField.i} (1-based). */
    public static List<RequestedItem> numbered(String listField, List<ConfigItem> items) {
        List<RequestedItem> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(new RequestedItem(items.get(i), listField + "." + (i + 1)));
        }
        return out;
    }

    /** How the item is shown in a message: field, key and value, a secret value masked. */
    public String described() {
        return field + " (" + item.key() + " = " + (item.secret() ? item.shownValue() : quoted(item.value())) + ")";
    }

    private static String quoted(String value) {
        return value == null ? "null" : "\"" + Clip.of(value) + "\"";
    }
}
