package io.emrvke.server.application;

import org.junit.jupiter.api.Tag;

/** The variant of a test body that runs on the real control plane: only in the realk8s tier (e2e/realk8s/run-tier). */
@Tag("realk8s")
interface OnARealApiServer extends TargetUnderTest {
    @Override
    default RuntimeTarget startTarget() {
        return RealTarget.start();
    }
}
