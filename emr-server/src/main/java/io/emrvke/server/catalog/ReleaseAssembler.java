package io.emrvke.server.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds one release application by application, checking the rules across applications: names,
 * component names and charts unique in the release; dependencies name applications listed before
 * (so catalog order is deployment order and there can be no cycle).
 */
final class ReleaseAssembler {
    private final String version;
    private final List<CatalogReader.Entry> entries = new ArrayList<>();

    ReleaseAssembler(String version) {
        this.version = version;
    }

    String version() {
        return version;
    }

    void add(CatalogReader.Entry entry) {
        ApplicationSpec app = entry.spec();
        fail(entry, find(app.name()).map(previous -> "the application is already defined in " + version
                + " (" + previous.where() + ")"));
        List<String> dependsOn = canonicalDependencies(entry);
        for (ComponentSpec component : app.components()) {
            checkUniqueInRelease(entry, component);
        }
        entries.add(new CatalogReader.Entry(
                new ApplicationSpec(app.name(), app.version(), dependsOn, app.components(), app.configFiles()),
                entry.where()));
    }

    Release build() {
        return new Release(version, entries.stream().map(CatalogReader.Entry::spec).toList());
    }

    private List<String> canonicalDependencies(CatalogReader.Entry entry) {
        List<String> out = new ArrayList<>();
        for (String dependency : entry.spec().dependsOn()) {
            CatalogReader.Entry target = find(dependency).orElseThrow(() -> new CatalogException(entry.where()
                    + ": dependsOn '" + dependency + "' is not an application listed before "
                    + entry.spec().name() + " in " + version + " (dependencies come first in catalog order); listed before: "
                    + (entries.isEmpty() ? "none" : String.join(", ", names())) + "."));
            if (out.contains(target.spec().name())) {
                throw new CatalogException(entry.where() + ": dependsOn '" + dependency + "' is listed twice.");
            }
            out.add(target.spec().name());
        }
        return out;
    }

    private void checkUniqueInRelease(CatalogReader.Entry entry, ComponentSpec component) {
        for (CatalogReader.Entry other : entries) {
            for (ComponentSpec o : other.spec().components()) {
                if (o.name().equalsIgnoreCase(component.name())) {
                    throw new CatalogException(entry.where() + ", component " + component.name()
                            + ": component names must be unique in a release; " + other.spec().name()
                            + " already has " + o.name() + ".");
                }
                if (o.chart().equals(component.chart())) {
                    throw new CatalogException(entry.where() + ", component " + component.name() + ": chart '"
                            + component.chart() + "' is already used by " + other.spec().name() + "/" + o.name()
                            + " in " + version + "; charts name instances, so they must be unique in a release.");
                }
            }
        }
        for (ComponentSpec sibling : entry.spec().components()) {
            if (sibling != component && sibling.chart().equals(component.chart())) {
                throw new CatalogException(entry.where() + ", component " + component.name() + ": chart '"
                        + component.chart() + "' is also used by " + sibling.name()
                        + "; charts name instances, so they must be unique in a release.");
            }
        }
    }

    private Optional<CatalogReader.Entry> find(String name) {
        return Names.find(entries, e -> e.spec().name(), name);
    }

    private List<String> names() {
        return entries.stream().map(e -> e.spec().name()).toList();
    }

    private static void fail(CatalogReader.Entry entry, Optional<String> problem) {
        problem.ifPresent(p -> {
            throw new CatalogException(entry.where() + ": " + p + ".");
        });
    }
}
