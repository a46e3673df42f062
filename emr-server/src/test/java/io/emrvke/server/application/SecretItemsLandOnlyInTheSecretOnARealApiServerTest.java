package io.emrvke.server.application;

class SecretItemsLandOnlyInTheSecretOnARealApiServerTest extends SecretItemsLandOnlyInTheSecret implements OnARealApiServer {
}
