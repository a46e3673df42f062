package io.emrvke.api.signing;

import java.util.List;
import java.util.Map;

/**
 * What a signature covers: the method, the decoded query parameters, the headers (names in any
 * case) and the raw body bytes. Path is always "/" for this API.
 *
 * @param query decoded query parameters in arrival order; a key may repeat
 * @param headers header name to value; looked up case-insensitively by the signer
 */
public record SigningRequest(String method, List<Map.Entry<String, String>> query,
                             Map<String, String> headers, byte[] body) {
}
