package io.emrvke.server.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.emrvke.server.kubernetes.WorkloadKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one catalog source ({@code index.yaml} and {@code releases/<version>.yaml}) into specs,
 * checking every rule that concerns a single application. Rules across applications (duplicates,
 * dependencies) are {@link ReleaseAssembler}'s, because a catalog directory may add applications
 * to a bundled release.
 */
final class CatalogReader {
    static final String INDEX = "index.yaml";

    /** Names become Kubernetes label values (app.kubernetes.io/name, emr-vke.io/application). */
    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?");
    /** Charts name default instances ({@code raycluster-4f2a}), which become Kubernetes object names. */
    private static final Pattern CHART = Pattern.compile("[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?");
    /** File names become ConfigMap keys. */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern IMAGE = Pattern.compile("[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_.-]{1,128})?");

    /** A key given twice (two defaults, two fields) is an error, not a silent last-one-wins. */
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    record Draft(String version, List<Entry> applications) {
    }

    /** An application and where it was defined, for messages about it. */
    record Entry(ApplicationSpec spec, String where) {
    }

    private final CatalogSource source;

    CatalogReader(CatalogSource source) {
        this.source = source;
    }

    List<Draft> read() {
        List<Draft> drafts = new ArrayList<>();
        for (String version : readIndex()) {
            drafts.add(readRelease(version));
        }
        return drafts;
    }

    private List<String> readIndex() {
        YamlNode index = parse(INDEX);
        index.allowOnly(Set.of("releases"));
        List<String> versions = index.strings("releases");
        if (versions.isEmpty()) {
            throw index.fail("'releases' must list at least one release version");
        }
        Set<String> seen = new HashSet<>();
        for (String v : versions) {
            if (!VERSION.matcher(v).matches()) {
                throw index.fail("release version '" + v + "' must match " + VERSION.pattern());
            }
            if (!seen.add(v.toLowerCase(Locale.ROOT))) {
                throw index.fail("release version '" + v + "' is listed twice");
            }
        }
        return versions;
    }

    private Draft readRelease(String version) {
        String file = "releases/" + version + ".yaml";
        YamlNode release = parse(file);
        release.allowOnly(Set.of("releaseVersion", "applications"));
        String declared = release.text("releaseVersion");
        if (!declared.equals(version)) {
            throw release.fail("'releaseVersion' is '" + declared + "' but " + INDEX + " lists this file as '"
                    + version + "'");
        }
        List<Entry> apps = new ArrayList<>();
        for (YamlNode app : release.objects("applications", "application")) {
            apps.add(readApplication(app));
        }
        if (apps.isEmpty()) {
            throw release.fail("'applications' must list at least one application");
        }
        return new Draft(version, apps);
    }

    private Entry readApplication(YamlNode raw) {
        String name = labelValue(raw, "name");
        YamlNode app = raw.named("application " + name);
        app.allowOnly(Set.of("name", "version", "dependsOn", "configFiles", "components"));
        String version = app.text("version");
        List<String> dependsOn = app.strings("dependsOn");
        List<ConfigFileSpec> files = readConfigFiles(app);
        List<ComponentSpec> components = new ArrayList<>();
        Set<String> componentNames = new HashSet<>();
        for (YamlNode c : app.objects("components", "component")) {
            ComponentSpec component = readComponent(c, files);
            if (!componentNames.add(component.name().toLowerCase(Locale.ROOT))) {
                throw app.fail("component " + component.name() + " is defined twice");
            }
            components.add(component);
        }
        if (components.isEmpty()) {
            throw app.fail("'components' must list at least one component");
        }
        return new Entry(new ApplicationSpec(name, version, dependsOn, components, files), app.where());
    }

    private List<ConfigFileSpec> readConfigFiles(YamlNode app) {
        List<ConfigFileSpec> files = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (YamlNode raw : app.objects("configFiles", "config file")) {
            String name = raw.text("name");
            if (!FILE_NAME.matcher(name).matches()) {
                throw raw.fail("config file name '" + name + "' must match " + FILE_NAME.pattern());
            }
            YamlNode file = raw.named("config file " + name);
            file.allowOnly(Set.of("name", "format", "defaults"));
            if (!names.add(name.toLowerCase(Locale.ROOT))) {
                throw file.fail("the config file is defined twice");
            }
            ConfigFormat format = ConfigFormat.fromWire(file.text("format")).orElseThrow(() -> file.fail(
                    "format '" + file.text("format") + "' is not one of " + String.join(", ", ConfigFormat.wireNames())));
            Map<String, String> defaults = file.stringMap("defaults");
            checkDefaults(file, defaults);
            if (name.equals(ConfigFileSpec.ENVS) && format != ConfigFormat.ENV) {
                throw file.fail("format must be " + ConfigFormat.ENV.wireName() + ", got " + format.wireName());
            }
            files.add(new ConfigFileSpec(name, format, defaults));
        }
        if (!names.contains(ConfigFileSpec.ENVS)) {
            throw app.fail("every application needs the config file " + ConfigFileSpec.ENVS
                    + " (format env), it has: " + String.join(", ", files.stream().map(ConfigFileSpec::name).toList()));
        }
        return files;
    }

    private static void checkDefaults(YamlNode file, Map<String, String> defaults) {
        for (String key : defaults.keySet()) {
            if (!ConfigItems.isValidKey(key)) {
                throw file.fail("default key '" + key + "' is not a valid config item key ([A-Za-z_][A-Za-z0-9_.-]*, at most "
                        + ConfigItems.MAX_KEY_LENGTH + " characters)");
            }
            if (ConfigItems.isSecret(key)) {
                // Defaults are public (ListReleaseVersions shows them); a secret must come from the user.
                throw file.fail("default key '" + key + "' names a secret; secrets cannot have catalog defaults");
            }
        }
    }

    private ComponentSpec readComponent(YamlNode raw, List<ConfigFileSpec> files) {
        String name = labelValue(raw, "name");
        YamlNode c = raw.named("component " + name);
        c.allowOnly(Set.of("name", "workloadKind", "chart", "image", "replicas", "multiInstance",
                "supportedActions", "configFiles"));
        WorkloadKind kind = WorkloadKind.fromWire(c.text("workloadKind")).orElseThrow(() -> c.fail("workloadKind '"
                + c.text("workloadKind") + "' is not one of " + String.join(", ", WorkloadKind.wireNames())));
        String chart = c.text("chart");
        if (!CHART.matcher(chart).matches()) {
            throw c.fail("chart '" + chart + "' must be a lower-case DNS label of at most 40 characters (" + CHART.pattern() + ")");
        }
        String image = c.text("image");
        if (!IMAGE.matcher(image).matches()) {
            throw c.fail("image '" + image + "' must be [registry/]repository[:tag] in lower case, e.g. "
                    + "rayproject/ray:2.39.0 or quay.io/kuberay/operator:v1.1.1");
        }
        int replicas = c.integer("replicas", kind.defaultReplicas(), 1000);
        boolean multiInstance = c.bool("multiInstance", false);
        List<ComponentAction> actions = readActions(c);
        List<String> mounted = readMountedFiles(c, files);
        return new ComponentSpec(name, kind, chart, image, replicas, multiInstance, actions, mounted);
    }

    private static List<ComponentAction> readActions(YamlNode c) {
        List<String> raw = c.strings("supportedActions");
        if (raw.isEmpty()) {
            throw c.fail("'supportedActions' must list at least one of " + String.join(", ", ComponentAction.wireNames()));
        }
        Set<ComponentAction> actions = new HashSet<>();
        for (String a : raw) {
            ComponentAction action = ComponentAction.fromWire(a).orElseThrow(() -> c.fail("supported action '" + a
                    + "' is not one of " + String.join(", ", ComponentAction.wireNames())));
            if (!actions.add(action)) {
                throw c.fail("supported action '" + a + "' is listed twice");
            }
        }
        // Canonical order, whatever order the file used.
        return List.of(ComponentAction.values()).stream().filter(actions::contains).toList();
    }

    private static List<String> readMountedFiles(YamlNode c, List<ConfigFileSpec> files) {
        List<String> mounted = new ArrayList<>();
        for (String f : c.strings("configFiles")) {
            String canonical = Names.find(files, ConfigFileSpec::name, f).map(ConfigFileSpec::name)
                    .orElseThrow(() -> c.fail("config file '" + f + "' is not a config file of its application; declared: "
                            + String.join(", ", files.stream().map(ConfigFileSpec::name).toList())));
            if (mounted.contains(canonical)) {
                throw c.fail("config file '" + f + "' is listed twice");
            }
            mounted.add(canonical);
        }
        int defaults = files.stream().filter(f -> mounted.contains(f.name())).mapToInt(f -> f.defaults().size()).sum();
        if (defaults > ConfigItems.MAX_DEFAULTS_PER_COMPONENT) {
            throw c.fail("its config files hold " + defaults + " defaults; at most "
                    + ConfigItems.MAX_DEFAULTS_PER_COMPONENT + " per component, so that a request's "
                    + ConfigItems.MAX_ITEMS_PER_REQUEST + " items still fit one instance's "
                    + ConfigItems.MAX_ITEMS_PER_INSTANCE);
        }
        return mounted;
    }

    private static String labelValue(YamlNode node, String field) {
        String value = node.text(field);
        if (!LABEL_VALUE.matcher(value).matches()) {
            throw node.fail("'" + field + "' '" + value + "' must be letters, digits, '-', '_' or '.', start and end"
                    + " with a letter or digit, at most 63 characters (it becomes a Kubernetes label value)");
        }
        return value;
    }

    private YamlNode parse(String file) {
        String where = file + " (" + source.label() + ")";
        String text = source.read(file).orElseThrow(() -> new CatalogException(where + ": file not found."));
        JsonNode tree;
        try {
            tree = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CatalogException(where + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new CatalogException(where + ": must be a YAML mapping.");
        }
        return new YamlNode(tree, where);
    }
}
