package io.emrvke.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.emrvke.api.Json;
import io.emrvke.api.client.EmrApiException;
import io.emrvke.api.client.EmrClient;
import io.emrvke.api.client.EmrClientException;
import io.emrvke.api.client.SignedHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code emr-vke call <Action>}: one signed API call, like any Volcengine SDK would make it.
 * Exit 0 with the reply on stdout; 1 when the server answers an error or cannot be reached;
 * 2 when the command line itself cannot be used (no credentials, unreadable or non-JSON body).
 */
@Command(name = "call", mixinStandardHelpOptions = true,
        description = "Call one API action (signed) and print the JSON reply.",
        footer = {"",
                "Credentials: --access-key/--secret-key, or env VOLCENGINE_ACCESS_KEY/VOLCENGINE_SECRET_KEY.",
                "Region: --region, or env VOLCENGINE_REGION (default cn-beijing).",
                "Endpoint: --endpoint, or env EMR_VKE_ENDPOINT (default 127.0.0.1:8080).",
                "Exit: 0 success, 1 error reply or endpoint unreachable, 2 usage problem."})
final class CallCommand implements Callable<Integer> {
    static final String ENV_ACCESS_KEY = "VOLCENGINE_ACCESS_KEY";
    static final String ENV_SECRET_KEY = "VOLCENGINE_SECRET_KEY";
    static final String ENV_REGION = "VOLCENGINE_REGION";
    static final String ENV_ENDPOINT = "EMR_VKE_ENDPOINT";

    static final int EXIT_OK = 0;
    static final int EXIT_ERROR_REPLY = 1;
    static final int EXIT_USAGE = 2;

    /** Rejects trailing garbage after the JSON value, which a plain readTree would ignore. */
    private static final ObjectReader STRICT_JSON =
            Json.plain().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Parameters(index = "0", paramLabel = "<Action>", description = "The API action, e.g. ListVirtualClusters.")
    String action;

    @Option(names = "--body", paramLabel = "JSON|@file",
            description = "Request body: a JSON object, @file to read it from a file, or @- for stdin. Default {}.")
    String body;

    @Option(names = "--endpoint", paramLabel = "host:port|URL",
            description = "Server address (env EMR_VKE_ENDPOINT, default 127.0.0.1:8080).")
    String endpoint;

    @Option(names = "--access-key", paramLabel = "AK", description = "Access key (env VOLCENGINE_ACCESS_KEY).")
    String accessKey;

    @Option(names = "--secret-key", paramLabel = "SK", description = "Secret key (env VOLCENGINE_SECRET_KEY).")
    String secretKey;

    @Option(names = "--region", description = "Region of the signature scope (env VOLCENGINE_REGION, default cn-beijing).")
    String region;

    @Option(names = "--api-version", paramLabel = "VERSION", defaultValue = EmrClient.DEFAULT_VERSION,
            description = "API Version query parameter (default ${DEFAULT-VALUE}).")
    String apiVersion;

    @Option(names = "--signed-headers", paramLabel = "STYLE",
            defaultValue = "CONTENT_TYPE_HOST_SHA256_DATE",
            description = "Headers to sign: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    SignedHeaders signedHeaders;

    @Spec
    CommandSpec spec;

    private final Function<String, String> env;
    private final InputStream stdin;

    CallCommand() {
        this(System::getenv, System.in);
    }

    /** For tests: environment and stdin from the caller. */
    CallCommand(Function<String, String> env, InputStream stdin) {
        this.env = env;
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            String requestBody = requestBody();
            EmrClient client = client();
            JsonNode reply = client.call(action, requestBody);
            out.println(Json.plain().writerWithDefaultPrettyPrinter().writeValueAsString(reply));
            out.flush();
            return EXIT_OK;
        } catch (UsageProblem e) {
            err.println("emr-vke call: " + e.getMessage());
            err.flush();
            return EXIT_USAGE;
        } catch (EmrApiException e) {
            err.println(e.summary());
            err.flush();
            return EXIT_ERROR_REPLY;
        } catch (EmrClientException e) {
            err.println("emr-vke call: " + e.getMessage());
            err.flush();
            return EXIT_ERROR_REPLY;
        } catch (JsonProcessingException e) {
            err.println("emr-vke call: cannot print the reply: " + e.getOriginalMessage());
            err.flush();
            return EXIT_ERROR_REPLY;
        }
    }

    private EmrClient client() {
        String ak = firstSet(accessKey, env.apply(ENV_ACCESS_KEY));
        String sk = firstSet(secretKey, env.apply(ENV_SECRET_KEY));
        requireCredentials(ak, sk);
        try {
            return EmrClient.builder()
                    .endpoint(firstSet(endpoint, env.apply(ENV_ENDPOINT), EmrClient.DEFAULT_ENDPOINT))
                    .credentials(ak, sk)
                    .region(firstSet(region, env.apply(ENV_REGION), EmrClient.DEFAULT_REGION))
                    .version(apiVersion)
                    .signedHeaders(signedHeaders)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new UsageProblem(e.getMessage());
        }
    }

    private static void requireCredentials(String ak, String sk) {
        if (ak == null && sk == null) {
            throw new UsageProblem("no credentials: give --access-key and --secret-key, or set the environment variables "
                    + ENV_ACCESS_KEY + " and " + ENV_SECRET_KEY);
        }
        if (ak == null) {
            throw new UsageProblem("no access key: give --access-key or set " + ENV_ACCESS_KEY);
        }
        if (sk == null) {
            throw new UsageProblem("no secret key: give --secret-key or set " + ENV_SECRET_KEY);
        }
    }

    /** The body text to send verbatim, after checking it is one JSON object. */
    private String requestBody() {
        if (body == null) {
            return "{}";
        }
        String text = body.startsWith("@") ? readBodyFile(body.substring(1)) : body;
        String source = body.startsWith("@") ? "--body " + body : "--body";
        JsonNode parsed;
        try {
            parsed = STRICT_JSON.readTree(text);
        } catch (JsonProcessingException e) {
            String reason = e.getOriginalMessage()
                    .replaceAll("\\[Source: [^;]*; line: (\\d+), column: (\\d+)\\]", "line $1, column $2");
            throw new UsageProblem(source + " is not valid JSON: " + reason
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (parsed == null || parsed.isMissingNode()) {
            throw new UsageProblem(source + " is empty; give a JSON object such as {} or leave --body out");
        }
        if (!parsed.isObject()) {
            throw new UsageProblem(source + " must be a JSON object ({...}), not a " + parsed.getNodeType().name().toLowerCase());
        }
        return text;
    }

    private String readBodyFile(String name) {
        try {
            if (name.equals("-")) {
                return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (name.isEmpty()) {
                throw new UsageProblem("--body @ needs a file name, e.g. --body @request.json (or @- for stdin)");
            }
            return Files.readString(Path.of(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageProblem("cannot read --body file '" + name + "': " + describe(e));
        }
    }

    private static String describe(IOException e) {
        String kind = e.getClass().getSimpleName();
        return switch (kind) {
            case "NoSuchFileException" -> "no such file";
            case "AccessDeniedException" -> "permission denied";
            case "MalformedInputException" -> "not UTF-8 text";
            default -> kind + (e.getMessage() == null ? "" : " " + e.getMessage());
        };
    }

    private static String firstSet(String... candidates) {
        for (String c : candidates) {
            if (c != null && !c.isBlank()) {
                return c;
            }
        }
        return null;
    }

    /** A problem with the command line, reported with exit code 2. */
    private static final class UsageProblem extends RuntimeException {
        UsageProblem(String message) {
            super(message, null, false, false);
        }
    }
}
