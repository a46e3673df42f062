package io.emrvke.server.runtime;

/**
 * Format of one config file of an instance.
 * <ul>
 *   <li>HELM_VALUES: {@code <app>-values.yaml}; item keys are dotted value paths merged over the chart's values.</li>
 *   <li>PROPERTIES: one item a line; {@code key value} for {@code *.conf} files (spark-defaults style), else {@code key=value}.</li>
 *   <li>XML: Hadoop {@code <configuration><property><name/><value/></property>...}.</li>
 *   <li>YAML: a flat mapping of the items.</li>
 *   <li>ENV: the {@code __envs__} pseudo-file; each item is a container environment variable.</li>
 * </ul>
 */
public enum ConfigFormat {
    HELM_VALUES, PROPERTIES, XML, YAML, ENV
}
