package io.emrvke.server.sandbox.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One stored change as watches replay it: ADDED, MODIFIED or DELETED of {@code object} (for DELETED the
 * object as it was, at the deletion's resourceVersion), and the object before it ({@code old}, null when
 * added) so a watch with a selector can tell an object that left its selection from one that changed.
 */
record Change(long resourceVersion, String type, String resource, ObjectNode object, ObjectNode old) {
}
