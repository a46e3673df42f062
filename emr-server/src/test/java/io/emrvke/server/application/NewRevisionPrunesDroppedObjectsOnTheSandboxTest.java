package io.emrvke.server.application;

class NewRevisionPrunesDroppedObjectsOnTheSandboxTest extends NewRevisionPrunesDroppedObjects implements OnTheSandbox {
}
