package io.emrvke.server.sandbox;

/** Asks for another reconcile of a workload later (a deadline or a minimum ready time to check). */
@FunctionalInterface
interface Requeue {
    void after(String kind, String namespace, String name, long delayMs);
}
