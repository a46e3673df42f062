package io.emrvke.server.application;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * A test body that runs against either target: one target per class (started by the variant's
 * {@link TargetUnderTest}), and a namespace of its own for each test, deleted after it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RunsOnEitherTarget implements TargetUnderTest {
    private final String namespacePrefix;
    RuntimeTarget target;
    /** This test's namespace. */
    String ns;

    RunsOnEitherTarget(String namespacePrefix) {
        this.namespacePrefix = namespacePrefix;
    }

    @BeforeAll
    void startTheTarget() {
        target = startTarget();
    }

    @BeforeEach
    void takeANamespace() {
        ns = target.newNamespace(namespacePrefix);
    }

    @AfterEach
    void deleteTheNamespace() {
        target.deleteNamespace(ns);
    }

    @AfterAll
    void closeTheTarget() {
        if (target != null) {
            target.close();
        }
    }
}
