/**
 * Secret resolvers found by {@link java.util.ServiceLoader}: adding this artifact is enough for
 * install, upgrade, dry run and template to resolve {@code ref+envsubst://} and {@code ref+file://}
 * references in values; {@code ref+azurekeyvault://} also needs the Azure SDK (see
 * {@link dev.helmsdk.secrets.AzureKeyVaultResolver}).
 */
package dev.helmsdk.secrets;
