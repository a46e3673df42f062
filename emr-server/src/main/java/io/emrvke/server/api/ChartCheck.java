package io.emrvke.server.api;

import io.emrvke.api.ErrorCode;
import io.emrvke.server.application.ConfigItem;
import io.emrvke.server.application.ConfigRepository;
import io.emrvke.server.application.Deployments;
import io.emrvke.server.application.PlannedInstance;
import io.emrvke.server.application.ReleaseSpecs;
import io.emrvke.server.application.RequestedApplication;
import io.emrvke.server.application.RequestedItem;
import io.emrvke.server.catalog.ConfigItems;
import io.emrvke.server.gateway.Params;
import io.emrvke.server.runtime.ChartRenderer;
import io.emrvke.server.runtime.NodePlacement;
import io.emrvke.server.runtime.ObjectValidation;
import io.emrvke.server.runtime.ReleaseSpec;
import io.emrvke.server.runtime.RenderedRelease;
import io.emrvke.server.runtime.RuntimeFailure;
import io.emrvke.server.disclosure.SecretKeys;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Renders, while a request is accepted, the chart of each instance the request gives config items, with the
 * values its deploy step would use, and checks the rendered objects as a real API server would
 * ({@link ObjectValidation}). A value that breaks the chart, or lands where Kubernetes refuses it (memory
 * {@code 2Gx}, a label value of 64 characters), is then refused as InvalidParameter naming the request item or
 * field, before anything is stored, instead of failing the operation after its rows were written.
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
                            p.component(), ConfigItem.byFile(items), placement), app.configsField(),
                            app.requestedItems().stream().filter(i -> p.component().mounts(i.item().fileName()))
                                    .toList());
                }
            }
        }
    }

    /**
     * Renders the spec in one of the request-time render turns and checks its objects; InvalidParameter naming
     * the item of {@code requested} whose value Kubernetes would refuse (else {@code field}), or naming
     * {@code field}, the chart and helm's reason when it fails to render; FlowLimitExceeded when no turn frees
     * in time.
     *
     * @param requested the request's items among the spec's values, with the fields they came in
     */
    public void requireRenders(ReleaseSpec spec, String field, List<RequestedItem> requested) {
        RenderedRelease rendered;
        try {
            rendered = turns.inTurn(field, () -> renderer.render(spec));
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
        requireAcceptedByKubernetes(rendered, field, requested);
    }

    /**
     * InvalidParameter for the first rendered field a real API server would refuse, naming the request item that
     * put the value there: catalog defaults and the charts' own values are valid, so a violation no item explains
     * (a request above its limit, say) is looked past for one an item does; failing that, {@code field} is named.
     */
    static void requireAcceptedByKubernetes(RenderedRelease rendered, String field, List<RequestedItem> requested) {
        List<ObjectValidation.Violation> violations = ObjectValidation.violations(rendered);
        if (violations.isEmpty()) {
            return;
        }
        List<String> secrets = secretValues(rendered.spec());
        String more = ObjectValidation.more(violations.size());
        for (ObjectValidation.Violation v : violations) {
            Optional<RequestedItem> cause = requested.stream().filter(i -> explains(i.item(), v)).findFirst();
            if (cause.isPresent()) {
                throw Params.invalidAt(cause.get().described(), "is not accepted by Kubernetes: "
                        + masked(v.describe(), secrets) + more);
            }
        }
        throw Params.invalidAt(field, "would give instance " + rendered.spec().releaseName() + " an object"
                + " Kubernetes refuses: " + masked(violations.get(0).describe(), secrets) + more);
    }

    /** Whether the refused value is the item's value (helm-values are typed: {@code 1.50} lands as 1.5) or key. */
    private static boolean explains(ConfigItem item, ObjectValidation.Violation v) {
        if (item.value() == null) {
            return false;
        }
        String value = item.value().strip();
        return v.value().equals(value) || v.value().equals(item.key()) || sameNumber(v.value(), value);
    }

    private static boolean sameNumber(String a, String b) {
        try {
            return new BigDecimal(a).compareTo(new BigDecimal(b)) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * A render failure as it may be answered: every secret value masked first (helm quotes values, and a clip
     * must not leave part of one), then its first line from the innermost template on, clipped.
     */
    static String shown(String failure, List<String> secretValues) {
        String firstLine = masked(failure == null ? "" : failure, secretValues).lines().findFirst().orElse("").strip();
        String innermost = INCLUDED.matcher(EXECUTING.matcher(firstLine).replaceAll("")).replaceFirst("");
        return Params.clip(innermost, MAX_DETAIL);
    }

    private static String masked(String text, List<String> secretValues) {
        String masked = text;
        for (String secret : secretValues) {
            masked = masked.replace(secret, ConfigItems.REDACTED);
        }
        return masked;
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
