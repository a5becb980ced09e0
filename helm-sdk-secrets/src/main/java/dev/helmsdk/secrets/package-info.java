/**
 * Secret resolvers found by {@link java.util.ServiceLoader}: adding this artifact is enough for
 * install, upgrade, dry run and template to resolve {@code ref+envsubst://}, {@code ref+file://},
 * {@code ref+vault://}, {@code ref+openbao://}, {@code ref+k8s://} and {@code ref+externalsecret://}
 * references in values; {@code ref+azurekeyvault://} also needs the Azure SDK (see
 * {@link dev.helmsdk.secrets.AzureKeyVaultResolver}), and {@code ref+awssecrets://} and
 * {@code ref+awsssm://} the AWS SDK's optional artifacts ({@code software.amazon.awssdk:secretsmanager},
 * {@code software.amazon.awssdk:ssm}; see {@link dev.helmsdk.secrets.AwsResolver}).
 */
package dev.helmsdk.secrets;
