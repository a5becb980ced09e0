/**
 * Secret resolvers found by {@link java.util.ServiceLoader}: adding this artifact is enough for
 * install, upgrade, dry run and template to resolve {@code ref+envsubst://}, {@code ref+file://},
 * {@code ref+vault://} and {@code ref+openbao://} references in values.
 */
package dev.helmsdk.secrets;
