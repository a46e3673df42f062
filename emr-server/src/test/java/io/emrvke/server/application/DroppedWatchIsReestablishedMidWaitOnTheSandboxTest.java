package io.emrvke.server.application;

class DroppedWatchIsReestablishedMidWaitOnTheSandboxTest extends DroppedWatchIsReestablishedMidWait
        implements OnTheSandbox {
    /** Persistent, so that the sandbox comes back from its restart with every object. */
    @Override
    public RuntimeTarget startTarget() {
        return SandboxTarget.startPersistent();
    }
}
