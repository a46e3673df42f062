package io.emrvke.server.catalog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The release catalog: which releases exist and what each holds. Loaded once at startup from data
 * files (the bundled ones, a platform team's directory of the same layout, or both) and immutable
 * afterwards. Layout: {@code index.yaml} ({@code releases: [EMR-VKE-1.8.0, ...]}) and one
 * {@code releases/<version>.yaml} per release; a directory may also hold {@code charts/<chart>}.
 */
public final class Catalog {
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    /** Newest first. */
    private final List<Release> releases;
    private final List<Path> chartsDirectories;

    private Catalog(List<Release> releases, List<Path> chartsDirectories) {
        this.releases = releases.stream().sorted(NEWEST_FIRST).toList();
        this.chartsDirectories = List.copyOf(chartsDirectories);
    }

    /** The catalog shipped in the jar ({@code catalog/} resources). */
    public static Catalog loadBundled() {
        return from(List.of(CatalogSource.bundled()));
    }

    /** Only the catalog in {@code catalogDir}. */
    public static Catalog load(Path catalogDir) {
        return from(List.of(CatalogSource.directory(catalogDir)));
    }

    /**
     * The bundled catalog plus {@code catalogDir}: its releases are added, and a release that the
     * bundled catalog already has gets the directory's applications appended (they may depend on
     * the bundled ones; redefining a bundled application is an error).
     */
    public static Catalog loadBundledPlus(Path catalogDir) {
        return from(List.of(CatalogSource.bundled(), CatalogSource.directory(catalogDir)));
    }

    private static Catalog from(List<CatalogSource> sources) {
        Map<String, ReleaseAssembler> byVersion = new LinkedHashMap<>();
        List<Path> charts = new ArrayList<>();
        for (CatalogSource source : sources) {
            for (CatalogReader.Draft draft : new CatalogReader(source).read()) {
                ReleaseAssembler release = byVersion.computeIfAbsent(draft.version().toLowerCase(Locale.ROOT),
                        v -> new ReleaseAssembler(draft.version()));
                draft.applications().forEach(release::add);
            }
            source.chartsDirectory().ifPresent(charts::add);
        }
        return new Catalog(byVersion.values().stream().map(ReleaseAssembler::build).toList(), charts);
    }

    /** Every release, newest first. */
    public List<Release> releases() {
        return releases;
    }

    /** Every release version, newest first. */
    public List<String> releaseVersions() {
        return releases.stream().map(Release::version).toList();
    }

    /** Case-insensitive lookup ({@code emr-vke-1.8.0} finds {@code EMR-VKE-1.8.0}). */
    public Optional<Release> release(String version) {
        return Names.find(releases, Release::version, version);
    }

    /** The release, or an UnknownReleaseException naming {@code fieldName} and the releases there are. */
    public Release requireRelease(String fieldName, String version) {
        return Names.require(releases, Release::version, UnknownReleaseException::new, fieldName,
                version, "a release version of this server");
    }

    /**
     * Folders of {@code <chart>/} directories that catalog directories brought with them, in load
     * order (the bundled charts are resources and are not listed).
     */
    public List<Path> chartsDirectories() {
        return chartsDirectories;
    }

    /** By the numbers in the version (1.10.0 after 1.8.0), newest first; ties by name. */
    static final Comparator<Release> NEWEST_FIRST = Comparator
            .comparing((Release r) -> numbers(r.version()), Catalog::compareNumbers).reversed()
            .thenComparing(Release::version);

    private static List<Long> numbers(String version) {
        List<Long> out = new ArrayList<>();
        Matcher m = NUMBER.matcher(version);
        while (m.find()) {
            String digits = m.group();
            out.add(digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits));
        }
        return out;
    }

    private static int compareNumbers(List<Long> a, List<Long> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Long.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
