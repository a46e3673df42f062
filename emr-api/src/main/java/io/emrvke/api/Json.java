package io.emrvke.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The wire's JSON conventions: record components in lowerCamelCase become the API's
 * UpperCamelCase names ({@code clusterId} → {@code ClusterId}); nulls are written (unset
 * timestamps are {@code null}, docs/api.md#requests); unknown fields are ignored when reading.
 */
public final class Json {
    private static final ObjectMapper WIRE = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final ObjectMapper PLAIN = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {
    }

    /** For wire objects: UpperCamelCase names. */
    public static ObjectMapper wire() {
        return WIRE;
    }

    /** For everything else (stored JSON, catalog files): names as written. */
    public static ObjectMapper plain() {
        return PLAIN;
    }
}
