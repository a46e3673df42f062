package io.emrvke.server.application;

class SecretItemsLandOnlyInTheSecretOnTheSandboxTest extends SecretItemsLandOnlyInTheSecret implements OnTheSandbox {
}
