package io.emrvke.server.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The CustomResourceDefinitions a chart carries in its {@code crds/} folder (Helm's place for them; helm
 * {@code template} does not render them), with the version of the operator they belong to: the chart's
 * {@code appVersion}.
 *
 * @param chart       chart name
 * @param version     the chart's appVersion, e.g. {@code v1.1.1}
 * @param definitions the definitions, in file name order
 */
public record ChartCrds(String chart, String version, List<Definition> definitions) {
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final String CRD_API_VERSION = "apiextensions.k8s.io/v1";
    /** KubeRay's RayJob definition alone is over 1 MB of YAML, beyond the YAML parser's default limit. */
    private static final int MAX_FILE_CODE_POINTS = 16 * 1024 * 1024;
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /**
     * One definition as the chart holds it.
     *
     * @param object the definition
     * @param hash   sha256 of its content (tells two files of one version apart)
     */
    public record Definition(GenericKubernetesResource object, String hash) {
        public String name() {
            return object.getMetadata().getName();
        }
    }

    public ChartCrds {
        definitions = List.copyOf(definitions);
    }

    public static ChartCrds none(String chart) {
        return new ChartCrds(chart, "", List.of());
    }

    public boolean isEmpty() {
        return definitions.isEmpty();
    }

    /** Reads {@code <chartDir>/crds/*.yaml}; a chart with definitions must name its operator's appVersion. */
    static ChartCrds load(String chart, Path chartDir) {
        Path folder = chartDir.resolve("crds");
        if (!Files.isDirectory(folder)) {
            return none(chart);
        }
        YAMLMapper yaml = largeDocumentMapper();
        List<Definition> definitions = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(ChartCrds::isYaml).sorted().toList()) {
                definitions.addAll(read(chart, file, yaml));
            }
            String version = appVersion(chartDir, yaml);
            if (!definitions.isEmpty() && DIGITS.matcher(version).results().findAny().isEmpty()) {
                throw new IllegalArgumentException("chart " + chart + " carries CRDs in crds/ but its Chart.yaml has "
                        + "no appVersion with a number (the version of the operator they belong to, e.g. v1.1.1)");
            }
            return new ChartCrds(chart, version, definitions);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CRDs of chart " + chart, e);
        }
    }

    /**
     * Orders operator versions by their runs of digits, left to right ({@code v1.1.1 < v1.3.0},
     * {@code v1beta2-1.4.3-3.5.0 < v1beta2-1.4.6-3.5.0 < v2.0.2}); a version that is a prefix of another is older.
     */
    public static int compareVersions(String a, String b) {
        List<Long> left = numbers(a);
        List<Long> right = numbers(b);
        for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
            int c = Long.compare(left.get(i), right.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(left.size(), right.size());
    }

    private static List<Long> numbers(String version) {
        List<Long> numbers = new ArrayList<>();
        Matcher m = DIGITS.matcher(version == null ? "" : version);
        while (m.find()) {
            numbers.add(Long.parseLong(m.group().length() > 18 ? m.group().substring(0, 18) : m.group()));
        }
        return numbers;
    }

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString();
        return Files.isRegularFile(file) && (name.endsWith(".yaml") || name.endsWith(".yml"));
    }

    @SuppressWarnings("unchecked")
    private static List<Definition> read(String chart, Path file, YAMLMapper yaml) throws IOException {
        List<Definition> definitions = new ArrayList<>();
        try (MappingIterator<Object> docs = yaml.readerFor(Object.class).readValues(file.toFile())) {
            while (docs.hasNext()) {
                if (docs.next() instanceof Map<?, ?> map && !map.isEmpty()) {
                    GenericKubernetesResource object = SERIALIZATION.convertValue(map, GenericKubernetesResource.class);
                    if (!CRD_API_VERSION.equals(object.getApiVersion())
                            || !"CustomResourceDefinition".equals(object.getKind())) {
                        throw new IllegalArgumentException("chart " + chart + ": " + file.getFileName() + " holds a "
                                + object.getApiVersion() + " " + object.getKind() + "; crds/ may hold only "
                                + CRD_API_VERSION + " CustomResourceDefinitions");
                    }
                    definitions.add(new Definition(object, sha256(SERIALIZATION.asJson(map))));
                }
            }
        }
        return definitions;
    }

    private static String appVersion(Path chartDir, YAMLMapper yaml) throws IOException {
        JsonNode chartYaml = yaml.readTree(chartDir.resolve("Chart.yaml").toFile());
        return chartYaml == null ? "" : chartYaml.path("appVersion").asText("");
    }

    private static YAMLMapper largeDocumentMapper() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_FILE_CODE_POINTS);
        return new YAMLMapper(YAMLFactory.builder().loaderOptions(options).build());
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
