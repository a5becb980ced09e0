package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * vals' {@code azurekeyvault} scheme: {@code ref+azurekeyvault://<vault>/<secret>[/<version>][#/key]}
 * is the value of a secret in Azure Key Vault, read with the Azure SDK. {@code <vault>} is a vault's
 * name ({@code https://<vault>.vault.azure.net}) or, for the sovereign clouds, its full DNS name
 * ({@code my-vault.vault.usgovcloudapi.net}); without a version it is the latest. A fragment parses
 * the value as YAML or JSON and selects a key of it, as vals does.
 *
 * <p>Credentials as vals finds them: {@code DefaultAzureCredential} (environment variables,
 * workload identity, managed identity, Azure CLI, ...), or the one source that {@code AZKV_AUTH}
 * names ({@code workload}, {@code managed}, {@code cli}, {@code devcli}). One client per vault,
 * shared by every thread; each read ends within the operation's time left.
 *
 * <p>Needs {@code com.azure:azure-security-keyvault-secrets} and {@code com.azure:azure-identity} on
 * the class path (optional dependencies of this artifact, versions from {@code com.azure:azure-sdk-bom});
 * without them this resolver still loads, and a reference fails naming the artifacts to add.
 */
public final class AzureKeyVaultResolver implements SecretResolver {

    /** What to add when the SDK is missing. */
    static final String ARTIFACTS = "com.azure:azure-security-keyvault-secrets and com.azure:azure-identity "
            + "(versions from com.azure:azure-sdk-bom)";
    /** Key Vault's own rules: names of letters, digits and dashes; versions are 32 hex digits (letters and digits here). */
    private static final Pattern SECRET_NAME = Pattern.compile("[0-9A-Za-z-]{1,127}");
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z]{1,64}");
    private static final Pattern VAULT = Pattern.compile("[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*");

    private final Supplier<KeyVaultClients> factory;
    private volatile KeyVaultClients clients;

    /** Credentials from this process's environment ({@code AZKV_AUTH}, then DefaultAzureCredential's own variables). */
    public AzureKeyVaultResolver() {
        this.factory = () -> KeyVaultClients.fromEnvironment(System::getenv);
    }

    /**
     * Chooses the credential by {@code AZKV_AUTH} from {@code environment}; the credential itself
     * reads the process's environment, as the Azure SDK does.
     *
     * @param environment the variables, e.g. {@code Map.of("AZKV_AUTH", "managed")::get}
     */
    public AzureKeyVaultResolver(Function<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        this.factory = () -> KeyVaultClients.fromEnvironment(environment);
    }

    /** For tests: the clients (credential, transport) to use, built on the first resolve. */
    AzureKeyVaultResolver(Supplier<KeyVaultClients> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /** A fragment selects from the secret's YAML or JSON text: one read serves every key of it. */
    @Override
    public boolean fragmentSelectsFromWhole(SecretReference reference) {
        Objects.requireNonNull(reference, "reference");
        return true;
    }

    @Override
    public Set<String> schemes() {
        return Set.of("azurekeyvault");
    }

    @Override
    public Object resolve(SecretReference reference, SecretContext context) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(context, "context");
        List<String> parts = List.of(stripTrailingSlash(reference.path()).split("/", -1));
        if (parts.size() < 2 || parts.size() > 3) {
            throw fail(context, reference, Reason.INVALID_REFERENCE, "expected ref+azurekeyvault://<vault>/<secret>[/<version>]");
        }
        String vault = parts.get(0);
        String name = parts.get(1);
        String version = parts.size() == 3 ? parts.get(2) : null;
        if (!VAULT.matcher(vault).matches()) {
            throw fail(context, reference, Reason.INVALID_REFERENCE, "'" + vault + "' is not a vault name or DNS name");
        }
        if (!SECRET_NAME.matcher(name).matches()) {
            throw fail(context, reference, Reason.INVALID_REFERENCE, "'" + name + "' is not a Key Vault secret name (letters, digits, '-')");
        }
        if (version != null && !VERSION.matcher(version).matches()) {
            throw fail(context, reference, Reason.INVALID_REFERENCE, "'" + version + "' is not a Key Vault secret version");
        }
        Duration timeLeft = context.timeLeft();
        if (timeLeft.isZero()) {
            throw fail(context, reference, Reason.TIMEOUT, "no time left to read from Key Vault");
        }
        String text;
        try {
            text = clients().value(vaultUrl(vault), name, version, timeLeft);
        } catch (KeyVaultClients.KeyVaultFailure e) {
            throw fail(context, reference, e.reason(), e.getMessage());
        }
        return reference.fragment().isEmpty() ? text : select(text, reference, context);
    }

    /** vals' rule: a name without a dot is in the public cloud, a DNS name is taken as it is. */
    static String vaultUrl(String vault) {
        return "https://" + vault + (vault.contains(".") ? "" : ".vault.azure.net");
    }

    private KeyVaultClients clients() {
        KeyVaultClients c = clients;
        if (c == null) {
            synchronized (this) {
                c = clients;
                if (c == null) {
                    requireSdk();
                    c = build();
                    clients = c;
                }
            }
        }
        return c;
    }

    private KeyVaultClients build() {
        try {
            return factory.get();
        } catch (KeyVaultClients.KeyVaultFailure e) {
            throw e;
        } catch (LinkageError e) {
            throw new KeyVaultClients.KeyVaultFailure(Reason.UNKNOWN_SCHEME, "the Azure SDK on the class path is incomplete ("
                    + e.getClass().getSimpleName() + "): add " + ARTIFACTS + " with their dependencies");
        } catch (RuntimeException e) {
            // A credential builder refusing its configuration, e.g. workload identity without AZURE_FEDERATED_TOKEN_FILE.
            throw new KeyVaultClients.KeyVaultFailure(Reason.DENIED, "the Azure credential cannot be built ("
                    + e.getClass().getSimpleName() + "): " + KeyVaultClients.CREDENTIAL_HINT);
        }
    }

    /** Checked by name, before {@link KeyVaultClients} (which links against the SDK) is loaded. */
    private static void requireSdk() {
        ClassLoader loader = AzureKeyVaultResolver.class.getClassLoader();
        for (String type : List.of("com.azure.security.keyvault.secrets.SecretAsyncClient", "com.azure.identity.DefaultAzureCredentialBuilder")) {
            try {
                Class.forName(type, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new KeyVaultClients.KeyVaultFailure(Reason.UNKNOWN_SCHEME,
                        "the Azure SDK is not on the class path (" + type + " is missing): add " + ARTIFACTS);
            }
        }
    }

    private Object select(String text, SecretReference reference, SecretContext context) {
        return SecretDocuments.select(text, "the secret", reference, context, this);
    }

    private SecretResolutionException fail(SecretContext context, SecretReference reference, Reason reason, String detail) {
        return SecretResolutionException.of(context, reference, this, reason, detail);
    }

    private static String stripTrailingSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path; // as vals
    }

    @Override
    public String toString() {
        return "AzureKeyVaultResolver";
    }
}
