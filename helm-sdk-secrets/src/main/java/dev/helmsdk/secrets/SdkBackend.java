package dev.helmsdk.secrets;

import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * What the SDK-backed {@link AwsBackend}s share: their cache of clients.
 *
 * @param <B> the service client's builder
 * @param <C> the service client
 */
abstract class SdkBackend<B extends AwsClientBuilder<B, C>, C extends SdkAutoCloseable> implements AwsBackend {

    /** The clients, one per region and profile. */
    final AwsClients<B, C> clients;

    SdkBackend(AwsClients<B, C> clients) {
        this.clients = clients;
    }

    @Override
    public int clients() {
        return clients.size();
    }

    @Override
    public void close() {
        clients.close();
    }
}
