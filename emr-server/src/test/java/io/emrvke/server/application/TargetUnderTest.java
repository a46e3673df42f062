package io.emrvke.server.application;

/** Which {@link RuntimeTarget} a test body runs against: a variant implements {@link OnTheSandbox} or {@link OnARealApiServer}. */
interface TargetUnderTest {
    RuntimeTarget startTarget();
}
