package dev.helmsdk.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.core.ChartSources;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * How the chart commands reach registries and repositories beyond the credential providers, with Helm's flag names.
 * Credentials are never options: they come from the providers the other commands use (HELM_SDK_REPO_* variables,
 * Helm's registry config, docker's config, mounted files), so no password is ever on a command line or in a shell history.
 */
final class SourceOptions {

    @Option(names = "--ca-file", paramLabel = "FILE",
            description = "Trust the CA certificates in this PEM file for registries and repositories (instead of the JVM's).")
    Path caFile;

    @Option(names = "--plain-http",
            description = "Use plain HTTP, not HTTPS, for the registry or repository named here (package, dependency: the chart's dependency repositories).")
    boolean plainHttp;

    @Option(names = "--insecure-skip-tls-verify",
            description = "Do not verify the TLS certificate of the registry or repository named here (package, dependency: the chart's "
                    + "dependency repositories); a warning is logged on every use.")
    boolean insecureSkipTlsVerify;

    /** The chart sources for references to {@code urls} (oci://, https://): the providers' credentials and these options. */
    ChartSources chartSources(Operation operation, Collection<String> urls) {
        ChartSources.Builder b = ChartSources.builder();
        if (caFile != null) {
            if (!Files.isReadable(caFile)) {
                throw new InvalidRequestException(operation, null, "cannot read the CA file " + caFile + ": give a readable PEM file with --ca-file");
            }
            b.trustedCertificates(caFile);
        }
        for (String url : urls) {
            String host = authority(operation, url);
            if (plainHttp) {
                b.plainHttp(host);
            }
            if (insecureSkipTlsVerify) {
                b.insecureSkipTlsVerify(host);
            }
        }
        return b.build();
    }

    /**
     * The remote repositories (oci://, http(s)://) {@code chartDirectory}'s Chart.yaml takes dependencies from, for
     * {@code --plain-http} and {@code --insecure-skip-tls-verify}; none when it cannot be read (the SDK then says why).
     */
    static List<String> dependencyRepositories(Path chartDirectory) {
        Path chartYaml = chartDirectory.resolve("Chart.yaml");
        List<String> out = new ArrayList<>();
        try {
            JsonNode deps = new ObjectMapper(new YAMLFactory()).readTree(chartYaml.toFile()).path("dependencies");
            deps.forEach(d -> {
                String repo = d.path("repository").asText("");
                if (repo.startsWith("oci://") || repo.startsWith("https://") || repo.startsWith("http://")) {
                    out.add(repo);
                }
            });
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return out;
    }

    /** {@code host[:port]} of {@code url}, or an error naming it. */
    private static String authority(Operation operation, String url) {
        try {
            String authority = URI.create(url).getRawAuthority();
            if (authority != null && !authority.contains("@")) {
                return authority;
            }
        } catch (IllegalArgumentException e) {
            // named below
        }
        throw new InvalidRequestException(operation, null, "'" + ChartRefs.shown(url) + "' is not a URL with a host (oci://host[:port]/path, "
                + "https://host/path) and no user info; credentials come from the providers (HELM_SDK_REPO_* variables, Helm's or docker's config)");
    }
}
