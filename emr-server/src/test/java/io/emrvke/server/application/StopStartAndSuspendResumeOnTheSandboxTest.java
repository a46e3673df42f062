package io.emrvke.server.application;

class StopStartAndSuspendResumeOnTheSandboxTest extends StopStartAndSuspendResume implements OnTheSandbox {
}
