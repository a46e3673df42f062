package io.emrvke.server.runtime;

import io.emrvke.server.store.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The Helm charts the runtime can render, as directories on disk (helm needs files).
 *
 * <p>The charts bundled in the jar ({@code /charts/*}) are extracted once into
 * {@code <workRoot>/charts/<digest of their content>}, so a new build never reuses stale charts and a
 * restart of the same build reuses the extracted copy. The library chart {@code emr-common} is vendored into
 * every chart's {@code charts/} directory at extraction (helm {@code template} resolves {@code file://}
 * dependencies only from there, with no network). An optional extra directory holds a platform team's own
 * charts (one sub-directory each, same layout); they are copied next to the bundled ones and win on a name clash.
 */
public final class ChartRepository {
    public static final String LIBRARY_CHART = "emr-common";
    private static final String RESOURCE_ROOT = "/charts";

    private final Path directory;
    private final Map<String, Path> charts;
    private final Map<String, ChartCrds> crds = new java.util.concurrent.ConcurrentHashMap<>();

    private ChartRepository(Path directory, Map<String, Path> charts) {
        this.directory = directory;
        this.charts = charts;
    }

    /** Extracts the bundled charts (and copies the extra directory's, when given) under {@code workRoot}. */
    public static ChartRepository extract(Path workRoot, Path extraChartsDir) {
        return extract(workRoot, extraChartsDir == null ? List.of() : List.of(extraChartsDir));
    }

    /**
     * Extracts the bundled charts and copies each extra directory's under {@code workRoot}; a chart of a
     * later directory replaces one of the same name before it.
     */
    public static ChartRepository extract(Path workRoot, List<Path> extraChartsDirs) {
        try {
            Map<String, byte[]> files = readBundledCharts();
            Path bundled = workRoot.resolve("charts").resolve(digest(files));
            if (!Files.exists(bundled.resolve(".complete"))) {
                writeAtomically(files, bundled);
            }
            Map<String, Path> charts = new TreeMap<>();
            listCharts(bundled).forEach(p -> charts.put(p.getFileName().toString(), p));
            for (Path extraChartsDir : extraChartsDirs) {
                Path extra = workRoot.resolve("charts").resolve("extra-" + System.nanoTime());
                copyExtraCharts(extraChartsDir, extra, bundled.resolve(LIBRARY_CHART));
                listCharts(extra).forEach(p -> charts.put(p.getFileName().toString(), p));
            }
            charts.remove(LIBRARY_CHART);
            return new ChartRepository(bundled, Map.copyOf(charts));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract charts into " + workRoot, e);
        }
    }

    public static ChartRepository extract(Path workRoot) {
        return extract(workRoot, List.of());
    }

    /** The directory of a chart, ready for {@code helm template}. */
    public Path chart(String name) {
        Path path = charts.get(name);
        if (path == null) {
            throw new IllegalArgumentException("no chart named '" + name + "' (known: " + charts.keySet() + ")");
        }
        return path;
    }

    public Optional<Path> find(String name) {
        return Optional.ofNullable(charts.get(name));
    }

    /**
     * The CRDs the chart carries in its {@code crds/} folder (none for most charts), read once. A chart whose
     * CRD files cannot be used fails with RENDER_FAILED, naming the file.
     */
    public ChartCrds crds(String name) {
        Path chart = find(name).orElseThrow(() -> new RuntimeFailure(RuntimeFailure.Reason.RENDER_FAILED,
                "no chart named '" + name + "' (known: " + chartNames() + ")"));
        try {
            return crds.computeIfAbsent(name, n -> ChartCrds.load(n, chart));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new RuntimeFailure(RuntimeFailure.Reason.RENDER_FAILED, e.getMessage(), e);
        }
    }

    public Set<String> chartNames() {
        return new TreeSet<>(charts.keySet());
    }

    /** Where the bundled charts were extracted. */
    public Path directory() {
        return directory;
    }

    private static Map<String, byte[]> readBundledCharts() throws IOException {
        URL marker = ChartRepository.class.getResource(RESOURCE_ROOT + "/" + LIBRARY_CHART + "/Chart.yaml");
        if (marker == null) {
            throw new IOException("bundled charts are missing from the classpath");
        }
        URI uri;
        try {
            uri = marker.toURI();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        if ("jar".equals(uri.getScheme())) {
            try (FileSystem fs = openJar(uri)) {
                return readTree(fs.getPath(RESOURCE_ROOT));
            } catch (UnsupportedOperationException e) {
                return readTree(FileSystems.getFileSystem(uri).getPath(RESOURCE_ROOT));
            }
        }
        return readTree(Path.of(uri).getParent().getParent());
    }

    private static FileSystem openJar(URI uri) throws IOException {
        try {
            return FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
            // Someone else owns it; wrap so try-with-resources does not close theirs.
            throw new UnsupportedOperationException(e);
        }
    }

    private static Map<String, byte[]> readTree(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private static String digest(Map<String, byte[]> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            files.forEach((name, bytes) -> {
                sha.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(bytes);
            });
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes into a sibling temp directory, vendors the library, then renames: a crash leaves no half copy. */
    private static void writeAtomically(Map<String, byte[]> files, Path target) throws IOException {
        PrivateFiles.createDirectories(target.getParent());
        Path tmp = Files.createTempDirectory(target.getParent(), ".extract-");
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path out = tmp.resolve(f.getKey());
            Files.createDirectories(out.getParent());
            Files.write(out, f.getValue());
        }
        vendorLibrary(tmp, tmp.resolve(LIBRARY_CHART));
        Files.writeString(tmp.resolve(".complete"), "");
        // owner-only like the rest of the data dir; the temp folder was 0700 all along
        PrivateFiles.tighten(tmp);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.exists(target.resolve(".complete"))) {
                throw e;
            }
            deleteTree(tmp); // another process extracted the same digest first
        }
    }

    private static void copyExtraCharts(Path source, Path target, Path library) throws IOException {
        if (!Files.isDirectory(source)) {
            throw new IOException("extra chart directory " + source + " does not exist");
        }
        PrivateFiles.createDirectories(target);
        for (Path chart : listCharts(source)) {
            copyTree(chart, target.resolve(chart.getFileName().toString()));
        }
        vendorLibrary(target, library);
        PrivateFiles.tighten(target);
    }

    private static void vendorLibrary(Path chartsRoot, Path library) throws IOException {
        for (Path chart : listCharts(chartsRoot)) {
            String chartYaml = Files.readString(chart.resolve("Chart.yaml"));
            Path vendored = chart.resolve("charts").resolve(LIBRARY_CHART);
            if (!chart.equals(library) && chartYaml.contains("name: " + LIBRARY_CHART) && !Files.exists(vendored)) {
                copyTree(library, vendored);
            }
        }
    }

    private static List<Path> listCharts(Path root) throws IOException {
        try (Stream<Path> list = Files.list(root)) {
            return list.filter(p -> Files.isRegularFile(p.resolve("Chart.yaml"))).sorted().toList();
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path out = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(out);
                } else {
                    Files.copy(p, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
