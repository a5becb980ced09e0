/**
 * Secret resolvers found by {@link java.util.ServiceLoader}: adding this artifact is enough for
 * install, upgrade, dry run and template to resolve {@code ref+envsubst://} and {@code ref+file://}
 * references in values, and, with the AWS SDK's optional artifacts on the class path
 * ({@code software.amazon.awssdk:secretsmanager}, {@code software.amazon.awssdk:ssm}),
 * {@code ref+awssecrets://} and {@code ref+awsssm://}.
 */
package dev.helmsdk.secrets;
