package io.emrvke.server.application;

import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.catalog.ComponentSpec;

/** An instance a deployment will create: the default instance of one component. */
public record PlannedInstance(ApplicationSpec application, ComponentSpec component, String releaseName) {
}
