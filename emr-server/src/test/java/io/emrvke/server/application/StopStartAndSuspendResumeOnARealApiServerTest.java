package io.emrvke.server.application;

class StopStartAndSuspendResumeOnARealApiServerTest extends StopStartAndSuspendResume implements OnARealApiServer {
}
