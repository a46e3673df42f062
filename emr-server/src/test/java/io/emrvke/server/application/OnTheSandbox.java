package io.emrvke.server.application;

/** The variant of a test body that runs on the embedded sandbox, in the default suite. */
interface OnTheSandbox extends TargetUnderTest {
    @Override
    default RuntimeTarget startTarget() {
        return SandboxTarget.start();
    }
}
