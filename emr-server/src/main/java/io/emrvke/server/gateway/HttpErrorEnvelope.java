package io.emrvke.server.gateway;

import io.emrvke.api.ErrorCode;
import java.nio.ByteBuffer;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers before a request reaches the gateway (headers or request line too long,
 * bad HTTP) get the API's error envelope instead of Jetty's HTML page, so a client always reads
 * a Code and a Message. The HTTP status stays Jetty's (431, 414, 400...).
 */
final class HttpErrorEnvelope extends ErrorHandler {

    /** Writes the access-log line of an answered error and returns its envelope. */
    interface Answerer {
        Answer answer(String path, int status, ErrorCode code, String message);
    }

    record Answer(String requestId, byte[] body) {
    }

    private final Answerer answerer;

    HttpErrorEnvelope(Answerer answerer) {
        this.answerer = answerer;
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String reason, Throwable cause,
                                    Callback callback) {
        ErrorCode code = codeFor(status);
        Answer answer = answerer.answer(Params.clip(request.getHttpURI().getPath()), status, code,
                messageFor(status, reason));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, GatewayServer.JSON_UTF8);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
        response.getHeaders().put("X-Request-Id", answer.requestId());
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }

    static ErrorCode codeFor(int status) {
        return switch (status) {
            case 404 -> ErrorCode.NOT_FOUND_PATH;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.REQUEST_ENTITY_TOO_LARGE;
            case 503 -> ErrorCode.SERVICE_UNAVAILABLE;
            default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.INVALID_PARAMETER;
        };
    }

    /** Jetty's reason phrase is safe to show (it never holds request data); say what to change. */
    static String messageFor(int status, String reason) {
        Function<String, String> said = hint -> "The request was refused before it reached the API: "
                + (reason == null || reason.isBlank() ? "HTTP " + status : Params.clip(reason)) + hint;
        return switch (status) {
            case 431 -> said.apply("; send fewer or smaller headers.");
            case 414 -> said.apply("; send the parameters in a POST body, not the query string.");
            case 413 -> said.apply(".");
            default -> status >= 500 ? "The server failed to read the request; retry." : said.apply(".");
        };
    }
}
