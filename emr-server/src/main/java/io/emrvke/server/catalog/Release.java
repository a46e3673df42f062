package io.emrvke.server.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A release version and its applications in catalog order. The loader guarantees that an
 * application's dependencies come before it, so catalog order is also deployment order.
 */
public record Release(String version, List<ApplicationSpec> applications) {

    public Release {
        Objects.requireNonNull(version, "version");
        applications = List.copyOf(applications);
    }

    /** Case-insensitive lookup; the spec carries the canonical name. */
    public Optional<ApplicationSpec> application(String applicationName) {
        return Names.find(applications, ApplicationSpec::name, applicationName);
    }

    /** The application, or a RefusedValueException naming {@code fieldName} and this release's applications. */
    public ApplicationSpec requireApplication(String fieldName, String applicationName) {
        return Names.require(applications, ApplicationSpec::name, RefusedValueException::new, fieldName,
                applicationName, "an application of " + version);
    }

    public List<String> applicationNames() {
        return applications.stream().map(ApplicationSpec::name).toList();
    }

    /**
     * The named applications (any case, duplicates ignored) in catalog order, which is the order
     * to deploy them in (undeploy in reverse). Unknown names are left out; check them first with
     * {@link #requireApplication}.
     */
    public List<ApplicationSpec> inCatalogOrder(Collection<String> applicationNames) {
        return applications.stream().filter(a -> containsIgnoreCase(applicationNames, a.name())).toList();
    }

    /**
     * One sentence per dependency that would be missing if {@code requested} were deployed next
     * to {@code deployed} (names in any case); empty when every dependency is satisfied.
     */
    public List<String> dependencyProblems(Collection<String> deployed, Collection<String> requested) {
        List<String> problems = new ArrayList<>();
        for (ApplicationSpec app : inCatalogOrder(requested)) {
            for (String dependency : app.dependsOn()) {
                if (!containsIgnoreCase(deployed, dependency) && !containsIgnoreCase(requested, dependency)) {
                    problems.add(app.name() + " depends on " + dependency
                            + ", which is neither deployed in the cluster nor requested");
                }
            }
        }
        return problems;
    }

    /** Nothing, or a RefusedValueException naming {@code fieldName} and the first missing dependency. */
    public void requireDependencies(String fieldName, Collection<String> deployed, Collection<String> requested) {
        List<String> problems = dependencyProblems(deployed, requested);
        if (!problems.isEmpty()) {
            throw new RefusedValueException(fieldName + ": " + problems.get(0)
                    + "; add " + firstMissing(deployed, requested) + " to the request.");
        }
    }

    /**
     * One sentence per application of {@code removing} that another deployed application, not
     * itself being removed, depends on; empty when they can all go.
     */
    public List<String> dependantProblems(Collection<String> deployed, Collection<String> removing) {
        List<String> problems = new ArrayList<>();
        for (ApplicationSpec dependant : inCatalogOrder(deployed)) {
            if (containsIgnoreCase(removing, dependant.name())) {
                continue;
            }
            for (String dependency : dependant.dependsOn()) {
                if (containsIgnoreCase(removing, dependency)) {
                    problems.add(dependency + " cannot be undeployed while " + dependant.name()
                            + ", which depends on it, stays deployed");
                }
            }
        }
        return problems;
    }

    /** Nothing, or a RefusedValueException naming {@code fieldName} and the first blocking dependant. */
    public void requireNoDependants(String fieldName, Collection<String> deployed, Collection<String> removing) {
        List<String> problems = dependantProblems(deployed, removing);
        if (!problems.isEmpty()) {
            throw new RefusedValueException(fieldName + ": " + problems.get(0) + ".");
        }
    }

    private String firstMissing(Collection<String> deployed, Collection<String> requested) {
        return inCatalogOrder(requested).stream()
                .flatMap(a -> a.dependsOn().stream())
                .filter(d -> !containsIgnoreCase(deployed, d) && !containsIgnoreCase(requested, d))
                .findFirst().orElseThrow();
    }

    private static boolean containsIgnoreCase(Collection<String> names, String name) {
        return names.stream().anyMatch(n -> n != null && n.trim().equalsIgnoreCase(name));
    }
}
