package io.emrvke.server.application;

import io.emrvke.api.ErrorCode;
import io.emrvke.server.catalog.ConfigItems;
import io.emrvke.server.gateway.Params;
import io.emrvke.server.runtime.ChartRenderer;
import io.emrvke.server.runtime.NodePlacement;
import io.emrvke.server.runtime.ReleaseSpec;
import io.emrvke.server.runtime.RuntimeFailure;
import io.emrvke.server.runtime.SecretKeys;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Renders, while a request is accepted, the chart of each instance the request gives config items, with the
 * values its deploy step would use. A value that breaks the chart is then refused as InvalidParameter naming the
 * request field, before anything is stored, instead of failing the operation after its rows were written.
 * Instances without items in the request are not rendered: catalog defaults are covered by the chart tests, and
 * requests without items cost nothing extra.
 */
public final class ChartCheck {
    /** The most of helm's reason a message shows: its first line can run to hundreds of characters. */
    static final int MAX_DETAIL = 200;
    /** Go template errors quote the template expression ({@code executing "x" at <...>: }): noise to a user. */
    private static final Pattern EXECUTING = Pattern.compile("executing \"[^\"]*\" at <.*?>: ");
    /** An error inside an included template repeats each including one's position: the innermost says most. */
    private static final Pattern INCLUDED = Pattern.compile("^.*error calling include: ");

    private final ChartRenderer renderer;
    private final String nodePoolLabel;
    private final RenderTurns turns;

    /** @param nodePoolLabel the node label pinning pods to a cluster's node pools (as the deploy steps use it) */
    public ChartCheck(ChartRenderer renderer, String nodePoolLabel) {
        this(renderer, nodePoolLabel, RenderTurns.defaults());
    }

    /** @param turns the bound on renders running at once for requests (shared by every action using this check) */
    public ChartCheck(ChartRenderer renderer, String nodePoolLabel, RenderTurns turns) {
        this.renderer = Objects.requireNonNull(renderer);
        this.nodePoolLabel = nodePoolLabel;
        this.turns = Objects.requireNonNull(turns);
    }

    /** Where the pods of a cluster on these node pools run: part of what its charts are rendered with. */
    public NodePlacement placement(List<String> nodePools) {
        return new NodePlacement(nodePoolLabel, nodePools);
    }

    /**
     * Each instance of {@code apps} that mounts one of its application's items, checked against the per-instance
     * limits, then rendered as its deploy step will render it; refuses naming the application's
     * {@code ApplicationConfigs} on the first that does not fit or does not render.
     */
    public void requireDeployable(String clusterId, String namespace, List<String> nodePools,
                                  List<RequestedApplication> apps) {
        NodePlacement placement = placement(nodePools);
        for (RequestedApplication app : apps) {
            for (PlannedInstance p : Deployments.instancesOf(clusterId, List.of(app))) {
                List<ConfigItem> items = app.items().stream().filter(i -> p.component().mounts(i.fileName()))
                        .toList();
                if (!items.isEmpty()) {
                    ConfigItem.requireFitOneInstance(app.configsField(), p.releaseName(),
                            ConfigRepository.merged(ConfigItem.defaultsOf(app.spec(), p.component()), items));
                    requireRenders(ReleaseSpecs.forInstance(clusterId, namespace, p.releaseName(), app.spec(),
                            p.component(), ConfigItem.byFile(items), placement), app.configsField());
                }
            }
        }
    }

    /**
     * Renders the spec in one of the request-time render turns; InvalidParameter naming {@code field}, the chart
     * and helm's reason when it fails; FlowLimitExceeded when no turn frees in time.
     */
    public void requireRenders(ReleaseSpec spec, String field) {
        try {
            turns.inTurn(field, () -> renderer.render(spec));
        } catch (RuntimeFailure f) {
            if (f.reason() == RuntimeFailure.Reason.RENDERER_UNAVAILABLE) {
                // not the caller's values: a retry may well pass
                throw ErrorCode.SERVICE_UNAVAILABLE.exception("Chart " + spec.chart() + " could not be rendered to"
                        + " check " + field + " (" + Params.clip(f.getMessage()) + "); retry shortly.");
            }
            if (f.reason() != RuntimeFailure.Reason.RENDER_FAILED) {
                throw f;
            }
            String reason = f.getMessage().replace("chart " + spec.chart() + " does not render: ", "");
            throw Params.invalidAt(field, "would make chart " + spec.chart() + " fail to render for instance "
                    + spec.releaseName() + ": " + shown(reason, secretValues(spec)));
        }
    }

    /**
     * A render failure as it may be answered: every secret value masked first (helm quotes values, and a clip
     * must not leave part of one), then its first line from the innermost template on, clipped.
     */
    static String shown(String failure, List<String> secretValues) {
        String masked = failure == null ? "" : failure;
        for (String secret : secretValues) {
            masked = masked.replace(secret, ConfigItems.REDACTED);
        }
        String firstLine = masked.lines().findFirst().orElse("").strip();
        String innermost = INCLUDED.matcher(EXECUTING.matcher(firstLine).replaceAll("")).replaceFirst("");
        return Params.clip(innermost, MAX_DETAIL);
    }

    /** The instance's secret values, longest first so that one holding another is masked whole. */
    private static List<String> secretValues(ReleaseSpec spec) {
        return spec.configFiles().stream().flatMap(f -> f.items().entrySet().stream())
                .filter(e -> SecretKeys.isSecret(e.getKey()) && e.getValue() != null && !e.getValue().isEmpty())
                .map(Map.Entry::getValue)
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }
}
