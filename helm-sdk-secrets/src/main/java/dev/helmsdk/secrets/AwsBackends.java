package dev.helmsdk.secrets;

/**
 * The factories of the SDK-backed {@link AwsBackend}s: this class is loaded only once the SDK is known
 * to be on the class path, and it is the only way to the classes that name SDK types.
 */
final class AwsBackends {

    private AwsBackends() {
    }

    static AwsBackend secretsManager(AwsSettings settings) {
        return new SecretsManagerBackend(settings);
    }

    static AwsBackend parameterStore(AwsSettings settings) {
        return new ParameterStoreBackend(settings);
    }
}
